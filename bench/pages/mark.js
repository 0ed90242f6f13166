// On a callback page: remember when its navigation started, for the app page to read.
localStorage.setItem('callbackStart', String(performance.timeOrigin));
