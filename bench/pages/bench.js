// Starts one flow per click, with this SDK or with @smartcar/auth, and records when it settled.
(function () {
  var connectOrigin = new URLSearchParams(location.search).get('connect');
  var now = function () { return performance.timeOrigin + performance.now(); };
  var done = function (outcome) { outcome.settledAt = now(); window.result = outcome; };

  var ours = window.SmartcarConnect.createConnect({
    clientId: 'bench-app',
    redirectUri: location.origin + '/bench/callback.html',
    connectOrigin: connectOrigin,
    mode: 'test',
  });
  document.getElementById('ours').addEventListener('click', function () {
    window.result = null;
    ours.popup({ state: 'bench' }).then(
      function (r) { done({ ok: true, code: r.code }); },
      function (e) { done({ ok: false, code: e.code }); },
    );
  });

  var official = new window.Smartcar({
    clientId: 'bench-app',
    redirectUri: location.origin + '/bench/official-redirect.html',
    scope: ['read_vehicle_info'],
    mode: 'test',
    onComplete: function (error, code) { done({ ok: !error, code: code }); },
  });
  document.getElementById('official').addEventListener('click', function () {
    window.result = null;
    official.openDialog({ state: 'bench' });
  });
})();
