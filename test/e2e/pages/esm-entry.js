import * as api from '/dist/index.mjs';

window.useApi(api);
