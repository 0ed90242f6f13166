// The demo app: one client, a popup button, and a log of every event, written as text (never as HTML).
(function () {
  var sdk = window.SmartcarConnect;
  var connectOrigin = new URLSearchParams(location.search).get('connect') || 'http://127.0.0.1:5171';
  var form = document.getElementById('options');
  var log = document.getElementById('log');

  function write(kind, label, detail) {
    var item = document.createElement('li');
    item.className = kind;
    item.textContent = label + (detail === undefined ? '' : ' ' + JSON.stringify(detail, null, 2));
    log.prepend(item);
  }

  function details(error) {
    var out = { name: error.name, code: error.code, description: error.description };
    ['statusCode', 'errorMessage', 'state', 'preflight', 'vehicle'].forEach(function (k) {
      if (error[k] !== undefined) out[k] = error[k];
    });
    return out;
  }

  // One client per mode, each with its listeners, created on first use.
  var clients = {};
  function client(mode) {
    if (!clients[mode]) {
      var connect = sdk.createConnect({
        clientId: 'demo-app',
        redirectUri: location.origin + '/connect/callback',
        scope: ['read_vehicle_info', 'read_odometer'],
        connectOrigin: connectOrigin,
        mode: mode,
      });
      connect.on('open', function (e) { write('', 'open', e); });
      connect.on('success', function (s) { write('success', 'success', s); });
      connect.on('error', function (e) { write('error', 'error: ' + e.code, details(e)); });
      clients[mode] = connect;
    }
    return clients[mode];
  }

  document.getElementById('popup').addEventListener('click', function () {
    var vin = form.elements.vin.value.trim();
    var options = { state: form.elements.state.value, forcePrompt: form.elements.forcePrompt.checked };
    if (vin) options.singleSelect = { vin: vin };
    if (form.elements.coop.checked) options.flags = { standin_coop: 'true' };
    client(form.elements.mode.value).popup(options).then(
      function (result) { write('success', 'popup() resolved', result); },
      function (error) { write('error', 'popup() rejected', sdk.isConnectError(error) ? details(error) : String(error)); },
    );
  });
})();
