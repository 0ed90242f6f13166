// The official SDK's redirect page protocol: post a SmartcarAuthMessage to the opener, then close.
(function () {
  var p = new URLSearchParams(location.search);
  opener.postMessage({
    name: 'SmartcarAuthMessage',
    isSmartcarHosted: false,
    code: p.get('code'),
    error: p.get('error'),
    errorDescription: p.get('error_description'),
    state: p.get('state'),
  }, location.origin);
  close();
})();
