/* global Smartcar */
// An app written as @smartcar/auth's README quick start says, on the drop-in's script tag. The
// test names the redirect page (?redirect=callback | redirect-js) and Connect's stand-in (?connect=).
(function () {
  var query = new URLSearchParams(location.search);
  var redirectUri = location.origin + (query.get('redirect') === 'redirect-js' ? '/e2e/official-redirect.html' : '/connect/callback');
  window.completions = [];

  // 2. Initialize Smartcar (connectOrigin, not an option of @smartcar/auth, points it at the stand-in).
  var smartcar = new Smartcar({
    applicationId: 'your-application-id',
    redirectUri: redirectUri,
    scope: ['read_vehicle_info', 'read_odometer'],
    mode: 'test',
    connectOrigin: query.get('connect'),
    onComplete: function (err, code, state, virtualKeyUrl, userId) {
      var error = err && {
        name: err.name,
        message: err.message,
        code: err.code,
        statusCode: err.statusCode,
        errorMessage: err.errorMessage,
        vehicleInfo: err.vehicleInfo,
        isConnectError: Smartcar.isConnectError(err),
        ownClass: err instanceof (Smartcar[err.name] || Smartcar.ConnectError),
      };
      window.completions.push({ error: error, code: code, state: state, userId: userId });
    },
  });

  // 3. Launch Connect, as the README shows it.
  smartcar.addClickHandler({ id: '#connect-car', state: 'user-42' });

  // An app that opens the URL of getAuthUrl() itself.
  document.getElementById('self').addEventListener('click', function () {
    open(smartcar.getAuthUrl({ state: 'self' }), '_blank', 'popup,width=500,height=700');
  });
  window.officialState = function (state) { return new URL(smartcar.getAuthUrl({ state: state })).searchParams.get('state'); };
  // A third-party frame says when its forged messages have all been sent (messages from one window arrive in order).
  addEventListener('message', function (e) { if (e.data === 'forger: done') window.forgerDone = true; });
  window.ready = true;
})();
