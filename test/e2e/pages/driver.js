// Drives the SDK from a real click, and records every outcome and event for the tests to read.
(function () {
  var api, connect, controller, calls = 0;
  // A cross-site frame may be denied the tab's storage (SecurityError): the driver goes on without it.
  function session(key, value) {
    try {
      if (value === undefined) return sessionStorage.getItem(key);
      sessionStorage.setItem(key, value);
    } catch {
      return null;
    }
  }
  window.outcomes = [];
  window.events = [];
  window.nextOptions = {};

  function summarize(e) {
    if (!e || typeof e !== 'object') return { value: e };
    var s = { name: e.name, message: e.message, isConnectError: api.isConnectError(e) };
    ['code', 'description', 'statusCode', 'errorMessage', 'state', 'preflight', 'vehicle', 'flow', 'url', 'userId', 'externalId', 'vehicleId', 'selectedCapacity']
      .forEach(function (k) { if (e[k] !== undefined) s[k] = e[k]; });
    if (s.isConnectError && typeof api[e.name] === 'function') s.instanceOfOwnClass = e instanceof api[e.name];
    return s;
  }

  function settle(promise) {
    return promise.then(
      function (value) { return { ok: true, value: value }; },
      function (error) { return { ok: false, error: summarize(error) }; },
    );
  }

  window.harness = {
    configure: function (options) {
      // null stands for an option left out (JSON has no undefined).
      Object.keys(options).forEach(function (k) { if (options[k] === null) delete options[k]; });
      // Kept for the same-window flow: the page comes back from Connect as a new document.
      session('e2e-config', JSON.stringify(options));
      if (connect) connect.destroy();
      window.events.length = 0;
      connect = api.createConnect(options);
      ['open', 'success', 'error', 'configuration_error', 'access_denied', 'invalid_subscription', 'no_vehicles',
        'vehicle_incompatible', 'server_error', 'user_manually_returned_to_application', 'user_cancelled', 'oem_cancelled_login',
        'battery_capacity_no_selection', 'popup_blocked',
        'popup_closed', 'timeout', 'state_mismatch', 'invalid_response'].forEach(function (name) {
        connect.on(name, function (payload) { window.events.push([name, name === 'success' || name === 'open' ? payload : summarize(payload)]); });
      });
    },
    /** Starts a popup flow; called from the button's click, or directly to run without a user gesture. */
    popup: function () {
      var n = calls++, options = Object.assign({}, window.nextOptions);
      if (options.abortable) {
        controller = new AbortController();
        options.signal = controller.signal;
        delete options.abortable;
      }
      var input = options;
      // laterMs: the options come that long after the click (the app asked its server first); fails: they never do.
      if (options.laterMs !== undefined) {
        var ms = options.laterMs, fails = options.fails;
        delete options.laterMs;
        delete options.fails;
        input = new Promise(function (resolve, reject) {
          setTimeout(function () { if (fails) reject(new Error(fails)); else resolve(options); }, ms);
        });
      }
      window.lastPromise = connect.popup(input);
      window.lastPromise.then(
        function (value) { window.outcomes[n] = { ok: true, value: value }; },
        function (error) { window.outcomes[n] = { ok: false, error: summarize(error) }; },
      );
      return n;
    },
    abort: function (reason) { controller.abort(reason === undefined ? undefined : new Error(reason)); },
    redirect: function (options) { return settle(connect.redirect(options)); },
    handleRedirect: function (url) { return settle(connect.handleRedirect(url)); },
    attach: function (target, options) { window.detachButton = connect.attach(target, options); },
    detach: function () { window.detachButton(); },
    destroy: function () { connect.destroy(); },
    url: function (options) { return connect.url(options); },
  };

  // Set when the page comes back from the back/forward cache (its script state kept) rather than loading anew.
  addEventListener('pageshow', function (e) { if (e.persisted) window.restored = true; });
  // What this page's copy of the tab's sessionStorage remembered as it loaded (a copy of the tab holds the original's flows).
  window.rememberedAtLoad = session('smartcar-connect:popups');
  // ?copy: a copy of the app's tab, as "Duplicate tab" makes one: its sessionStorage copied, no opener.
  if (new URLSearchParams(location.search).has('copy')) window.opener = null;

  window.useApi = function (loaded) {
    api = loaded;
    document.getElementById('popup').addEventListener('click', function () { window.harness.popup(); });
    var allow = document.getElementById('allow-blocked');
    if (allow) allow.addEventListener('click', function () { window.allowBlocked(); });
    var duplicate = document.getElementById('duplicate');
    if (duplicate) duplicate.addEventListener('click', function () { open(location.pathname + '?copy', '_blank'); });
    var saved = session('e2e-config');
    if (saved) window.harness.configure(JSON.parse(saved));
    // ?spa: this page is also the popup's redirect URI, as in an app whose routes all serve it; it
    // reads the return on load, as useConnect does on mount.
    if (new URLSearchParams(location.search).has('spa')) {
      window.harness.handleRedirect().then(function (outcome) { window.loadOutcome = outcome; });
    }
    window.ready = true;
    // ?autopopup={ config, options }: configure and start a flow while loading, with no user activation.
    var auto = new URLSearchParams(location.search).get('autopopup');
    if (auto) {
      auto = JSON.parse(auto);
      window.harness.configure(auto.config);
      window.nextOptions = auto.options || {};
      window.harness.popup();
    }
  };
})();
