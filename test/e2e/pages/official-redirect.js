// What @smartcar/auth's redirect.js does on an app's own redirect page: it posts Connect's answer to
// the opener as a SmartcarAuthMessage of the fields it knows (status_code and error_message are not
// among them), then closes the window.
(function () {
  var p = new URLSearchParams(location.search);
  var fields = { code: 'code', error: 'error', error_description: 'errorDescription', state: 'state', vin: 'vin', make: 'make', model: 'model', year: 'year', virtual_key_url: 'virtualKeyUrl', user_id: 'userId', external_id: 'externalId' };
  var message = { name: 'SmartcarAuthMessage' };
  for (var k in fields) message[fields[k]] = p.get(k);
  window.opener.postMessage(message, location.origin);
  window.close();
})();
