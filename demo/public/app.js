// The demo app: one client, a popup button, and a log of every event, written as text (never as HTML).
(function () {
  var sdk = window.SmartcarConnect;
  var connectOrigin = new URLSearchParams(location.search).get('connect') || 'http://127.0.0.1:5171';
  var form = document.getElementById('options');
  var log = document.getElementById('log');

  // One entry per outcome, newest first. An outcome's event comes first and writes the entry; the
  // promise that settles with the very same object then adds its own name to that entry.
  // Text only: an error_message or a state holding markup shows as the characters it is.
  var entries = new WeakMap();
  function write(kind, label, detail, outcome) {
    var item = document.createElement('li');
    item.className = kind;
    var title = item.appendChild(document.createElement('span'));
    title.textContent = new Date().toLocaleTimeString() + '  ' + label;
    if (detail !== undefined) item.appendChild(document.createTextNode(' ' + JSON.stringify(detail, null, 2)));
    log.prepend(item);
    if (outcome && typeof outcome === 'object') entries.set(outcome, title);
  }
  function settled(kind, label, detail, outcome) {
    var title = outcome && typeof outcome === 'object' && entries.get(outcome);
    if (title) title.textContent += ' · ' + label;
    else write(kind, label, detail, outcome);
  }

  function details(error) {
    var out = { name: error.name, code: error.code, description: error.description };
    ['statusCode', 'errorMessage', 'state', 'preflight', 'vehicle', 'vehicleId'].forEach(function (k) {
      if (error[k] !== undefined) out[k] = error[k];
    });
    return out;
  }

  // One client per mode and flow, each with its listeners, created on first use. The popup comes
  // back to the callback page; the same-window flow comes back to this page, with its own query.
  var clients = {};
  function client(mode, flow) {
    var key = mode + ' ' + flow;
    if (!clients[key]) {
      var connect = sdk.createConnect({
        clientId: 'demo-app',
        redirectUri: flow === 'popup'
          ? location.origin + '/connect/callback'
          : location.origin + '/?connect=' + encodeURIComponent(connectOrigin),
        scope: ['read_vehicle_info', 'read_odometer'],
        connectOrigin: connectOrigin,
        mode: mode,
      });
      connect.on('open', function (e) { write('', 'open', e); });
      connect.on('success', function (s) { write('success', (s.late ? 'late ' : '') + 'success event', s, s); });
      connect.on('error', function (e) { write('error', 'error event: ' + e.code, details(e), e); });
      clients[key] = connect;
    }
    return clients[key];
  }

  function flowOptions() {
    var vin = form.elements.vin.value.trim();
    var options = { state: form.elements.state.value, forcePrompt: form.elements.forcePrompt.checked };
    if (vin) options.singleSelect = { vin: vin };
    if (form.elements.coop.checked) options.flags = { standin_coop: 'true' };
    return options;
  }

  function report(name, promise) {
    promise.then(
      function (result) { if (result) settled('success', name + ' resolved', result, result); },
      function (error) { settled('error', name + ' rejected', sdk.isConnectError(error) ? details(error) : String(error), error); }
    );
  }

  // The popup starts in the click's own task, as browsers require.
  document.getElementById('popup').addEventListener('click', function () {
    report('popup()', client(form.elements.mode.value, 'popup').popup(flowOptions()));
  });
  document.getElementById('redirect').addEventListener('click', function () {
    report('redirect()', client(form.elements.mode.value, 'redirect').redirect(flowOptions()));
  });
  // Re-authentication: the vehicle's id (or the resolution.url of an AUTHENTICATION_FAILED answer).
  document.getElementById('reauthenticate').addEventListener('click', function () {
    var options = { state: form.elements.state.value, reauthenticate: form.elements.vehicle.value.trim() };
    report('popup({ reauthenticate })', client(form.elements.mode.value, 'popup').popup(options));
  });

  // The battery-capacity page, with the url GET /vehicles/{id}/battery/nominal_capacity hands out
  // (its redirect_uri left empty: the SDK fills it in).
  document.getElementById('battery').addEventListener('click', function () {
    var url = connectOrigin + '/battery-capacity?vehicle_id=' + encodeURIComponent(form.elements.vehicle.value.trim()) +
      '&client_id=demo-app&token=90abecb6-e7ab-4b85-864a-e1c8bf67f2ad&response_type=vehicle_id&redirect_uri=';
    report('popup({ batteryCapacity })', client(form.elements.mode.value, 'popup').popup({ state: form.elements.state.value, batteryCapacity: url }));
  });

  // Connect's Error page for a test-mode VIN in live mode: a hand-built authorize URL (no SDK, so no preflight),
  // and the callback page's message read with the SDK's parser.
  document.getElementById('seed').addEventListener('click', function () {
    var url = new URL('/oauth/authorize', connectOrigin);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'demo-app',
      redirect_uri: location.origin + '/connect/callback',
      mode: 'live',
      single_select: 'true',
      single_select_vin: '0SCAUDI0155C49A95',
      state: 'seed-case',
    }).toString();
    var popup = open(url.href, '_blank', 'popup,width=500,height=700');
    write('', 'opened Connect by hand', { url: url.href });
    addEventListener('message', function onMessage(event) {
      if (event.origin !== location.origin || event.source !== popup || !event.data || event.data.type !== 'smartcar-connect:response') return;
      removeEventListener('message', onMessage);
      var parsed = sdk.parseConnectResponse(event.data.search);
      write(parsed.ok ? 'success' : 'error', 'parseConnectResponse()', parsed.ok ? parsed.result : details(parsed.error));
    });
  });

  // Back from a same-window flow: the answer is in the address bar (this page is the return route too).
  report('handleRedirect()', client('test', 'redirect').handleRedirect());
})();
