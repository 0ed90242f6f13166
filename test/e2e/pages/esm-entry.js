import * as api from '/dist/index.mjs';

// The module's namespace under the script-tag build's global name, so tests can use either page alike.
window.SmartcarConnect = api;
window.useApi(api);
