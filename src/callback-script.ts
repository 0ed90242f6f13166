import { relayConnectResponse } from './callback';

// The script-tag build (dist/callback.min.js) relays as soon as it loads.
relayConnectResponse();
