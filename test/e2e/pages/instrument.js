// Loaded before the SDK: counts what is alive, so tests can prove a settled flow leaves nothing behind.
(function () {
  var live = { message: new Set(), intervals: new Set(), timeouts: new Set(), channels: new Set() };
  var add = window.addEventListener, remove = window.removeEventListener;
  window.addEventListener = function (type, fn, options) {
    if (type === 'message') live.message.add(fn);
    return add.call(this, type, fn, options);
  };
  window.removeEventListener = function (type, fn, options) {
    if (type === 'message') live.message.delete(fn);
    return remove.call(this, type, fn, options);
  };
  var setI = window.setInterval, clearI = window.clearInterval, setT = window.setTimeout, clearT = window.clearTimeout;
  window.setInterval = function () { var id = setI.apply(window, arguments); live.intervals.add(id); return id; };
  window.clearInterval = function (id) { live.intervals.delete(id); return clearI.call(window, id); };
  window.setTimeout = function (fn, ms) {
    var rest = Array.prototype.slice.call(arguments, 2);
    var id = setT.call(window, function () { live.timeouts.delete(id); fn.apply(window, rest); }, ms);
    live.timeouts.add(id);
    return id;
  };
  window.clearTimeout = function (id) { live.timeouts.delete(id); return clearT.call(window, id); };
  var Native = window.BroadcastChannel;
  window.BroadcastChannel = function (name) {
    var channel = new Native(name), close = channel.close;
    live.channels.add(channel);
    channel.close = function () { live.channels.delete(channel); return close.call(channel); };
    return channel;
  };
  window.BroadcastChannel.prototype = Native.prototype;
  window.NativeBroadcastChannel = Native;
  // The last window the page opened, so a test can close a popup whose first page is still loading
  // (drivers cannot always reach such a window yet); the call stays inside the click's own task.
  var nativeOpen = window.open;
  window.open = function () {
    // blockNextPopup: a blocker with a prompt refuses the window, and opens that URL if the user allows it.
    if (window.blockNextPopup) {
      window.blockNextPopup = false;
      window.blockedUrl = arguments[0];
      return null;
    }
    window.lastPopup = nativeOpen.apply(window, arguments);
    // closeNextPopupAfter: an extension that lets window.open return a window and closes it at once.
    var win = window.lastPopup, after = window.closeNextPopupAfter;
    window.closeNextPopupAfter = undefined;
    if (win && after !== undefined) setT.call(window, function () { win.close(); }, after);
    return win;
  };
  /** The user allows the blocked popup from the browser's prompt: the very URL the page asked for, with the page as its opener. */
  window.allowBlocked = function () {
    window.lastPopup = nativeOpen.call(window, window.blockedUrl, '_blank', 'popup,width=500,height=700');
  };
  window.liveResources = function () {
    return { message: live.message.size, intervals: live.intervals.size, timeouts: live.timeouts.size, channels: live.channels.size };
  };
})();
