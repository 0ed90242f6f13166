import { relayConnectResponse } from 'smartcar-connect-browser/callback';

relayConnectResponse();
