// The popup entry's ES module build, as an app that only opens the popup loads it.
import * as api from '/dist/popup.mjs';

window.useApi(api);
