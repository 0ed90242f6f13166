// Where a popup cannot come back to the app, in one list. In-app browsers (the browser inside a social
// or messaging app) name themselves in their user agent and open a popup in another context or not at
// all; Android WebViews add `; wv)`; a web app installed on the iOS home screen opens a popup in Safari,
// which has no way back. The sources for each entry are in docs/environments.md.

/** User-agent markers of the in-app browsers where a popup never returns, with the app each names. */
const IN_APP_BROWSERS: readonly [RegExp, string][] = [
  [/\bInstagram\b/, 'Instagram'],
  [/\bFBAN\/Messenger|\bMessengerFor|\bFB_IAB\/MESSENGER/, 'Messenger'],
  [/\bFBAN\/|\bFBAV\/|\bFB_IAB\//, 'Facebook'],
  [/\bLinkedInApp\b/, 'LinkedIn'],
  [/\bmusical_ly|\bBytedanceWebview\b|\bTikTok\b/, 'TikTok'],
  [/\bSnapchat\b/, 'Snapchat'],
  [/\bTwitter for (iPhone|iPad|Android)\b/, 'X (Twitter)'],
  [/\bPinterest\b/, 'Pinterest'],
  [/\bLine\/\d/, 'LINE'],
  [/\bMicroMessenger\b/, 'WeChat'],
];

/**
 * Why a popup flow cannot come back to the app in this browser, or `null` where it can: an in-app
 * browser (named), an Android WebView, or a web app installed on the iOS home screen. Call it before
 * you render a "Connect your car" button and offer the same-window flow there instead; `popup()`
 * checks it too. Outside a browser it is `null`.
 *
 * @example
 * const why = popupUnavailable();
 * button.onclick = () => (why ? connect.redirect({ state: 'user-42' }) : connect.popup({ state: 'user-42' }));
 */
export function popupUnavailable(): string | null {
  const nav = (globalThis as { navigator?: Navigator & { standalone?: boolean } }).navigator;
  const agent = nav?.userAgent ?? '';
  const app = IN_APP_BROWSERS.find(([marker]) => marker.test(agent));
  if (app) return `the in-app browser of ${app[1]}`;
  if (/; wv\)/.test(agent)) return 'an Android WebView';
  const ios = /\b(iPhone|iPad|iPod)\b/.test(agent);
  const standalone = nav?.standalone === true || (ios && matchesStandalone());
  return standalone ? 'a web app installed on the home screen' : null;
}

function matchesStandalone(): boolean {
  try {
    return matchMedia('(display-mode: standalone)').matches;
  } catch {
    return false;
  }
}
