// Starts one flow per click, with this SDK or with @smartcar/auth, and records when it settled.
(function () {
  var connectOrigin = new URLSearchParams(location.search).get('connect');
  var now = function () { return performance.timeOrigin + performance.now(); };
  var done = function (outcome) { outcome.settledAt = now(); window.result = outcome; };

  // This SDK twice: its callback page relays the answer; a callback page without its script leaves
  // the app to read the popup's address bar.
  [['ours', '/bench/callback.html'], ['bare', '/bench/bare-callback.html']].forEach(function (pair) {
    var client = window.SmartcarConnect.createConnect({
      clientId: 'bench-app',
      redirectUri: location.origin + pair[1],
      connectOrigin: connectOrigin,
      mode: 'test',
    });
    document.getElementById(pair[0]).addEventListener('click', function () {
      window.result = null;
      client.popup({ state: 'bench' }).then(
        function (r) { done({ ok: true, code: r.code }); },
        function (e) { done({ ok: false, code: e.code }); },
      );
    });
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
