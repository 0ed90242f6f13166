// A third party framed by the app: it posts the SmartcarAuthMessages of its fragment (JSON) to the
// app, the flows' own states in them, then says it is done.
(function () {
  var messages = JSON.parse(decodeURIComponent(location.hash.slice(1)) || '[]');
  messages.forEach(function (m) { parent.postMessage(m, '*'); });
  parent.postMessage('forger: done', '*');
})();
