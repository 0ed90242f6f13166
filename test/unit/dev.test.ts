import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createConnect, PopupBlockedError } from '../../src/index';
import { callbackSearch, connectWithLog, deliver, ORIGIN, rejection, sentState, stubOpen } from './harness';

// Development warnings (vitest runs with NODE_ENV=test): each says what to change, once.

let warnings: MockInstance<typeof console.warn>;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
const said = () => warnings.mock.calls.map(([message]) => String(message));

describe('development warnings', () => {
  it('says popup() ran outside an event handler, as after an await, once; not for a call from a click', async () => {
    vi.resetModules();
    const { createConnect: fresh } = await import('../../src/index');
    stubOpen();
    const connect = fresh({ clientId: 'app-id', redirectUri: `${ORIGIN}/cb` });
    const button = document.body.appendChild(document.createElement('button'));
    button.onclick = () => void connect.popup().catch(() => undefined);
    button.click();
    expect(said()).toEqual([]);
    void connect.popup().catch(() => undefined); // the same popup, shared
    connect.destroy();
    const again = fresh({ clientId: 'app-id', redirectUri: `${ORIGIN}/cb` });
    void again.popup().catch(() => undefined);
    void again.popup().catch(() => undefined);
    again.destroy();
    expect(said()).toEqual([
      'smartcar-connect: popup() was called outside an event handler, as after an await: Safari blocks such popups. Call popup() straight from the click handler, before any await.',
    ]);
  });

  it('says the browser blocks a popup() without a user’s activation, where the browser tells', async () => {
    vi.resetModules();
    const { createConnect: fresh } = await import('../../src/index');
    vi.stubGlobal('navigator', { ...navigator, userActivation: { isActive: false, hasBeenActive: false } });
    stubOpen({ blocked: true });
    const connect = fresh({ clientId: 'app-id', redirectUri: `${ORIGIN}/cb` });
    const error = await rejection<PopupBlockedError>(connect.popup());
    expect(said()).toEqual([
      "smartcar-connect: popup() was called without a user's activation (no click or key press just before it), so the browser blocks the popup. Call popup() straight from the click handler, before any await.",
    ]);
    expect(error.description).toBe('Popup blocked: call popup() straight from the click, before any await');
  });

  it('names both origins when the redirect URI is on another one (localhost and 127.0.0.1 are the usual pair)', () => {
    const other = ORIGIN.replace('localhost', '127.0.0.1');
    createConnect({ clientId: 'app-id', redirectUri: `${other}/connect/callback` });
    expect(said()).toEqual([
      `smartcar-connect: redirectUri ${other}/connect/callback is on ${other}, but this page is on ${ORIGIN}. ` +
        'A callback page answers only a page of its own origin, and the same-window flow finds its state only there ' +
        '(localhost and 127.0.0.1 are different origins): serve both from one origin.',
      // and, as Smartcar registers http redirect URIs on localhost alone:
      `smartcar-connect: redirectUri ${other}/connect/callback is on 127.0.0.1, but Smartcar registers http redirect URIs only on the host localhost: ` +
        'Connect would stop at "400: Unauthorized redirect_uri", with no way back. Use http://localhost:<port>/… (or https) here and in the Dashboard.',
    ]);
    createConnect({ clientId: 'app-id', redirectUri: `${ORIGIN}/connect/callback` });
    createConnect({ clientId: 'app-id', redirectUri: `https://hosted.example/v2/redirect?app_origin=${encodeURIComponent(ORIGIN)}` });
    expect(said()).toHaveLength(2);
  });

  it('says Connect answered with an error code this version does not know, once per code', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    for (let i = 0; i < 2; i++) {
      const caught = rejection(connect.popup());
      deliver({ type: 'smartcar-connect:response', version: 1, search: callbackSearch({ error: 'rate_limited_by_oem' }, sentState(last())) }, ORIGIN, last());
      await caught;
    }
    const unknown = said().filter((m) => m.includes('rate_limited_by_oem'));
    expect(unknown).toEqual([
      "smartcar-connect: Connect answered error=rate_limited_by_oem, which this version does not know: it arrives as a plain ConnectError with code 'rate_limited_by_oem' " +
        "and only the 'error' event. Handle it by e.code and e.description, or update smartcar-connect-browser.",
    ]);
    const known = rejection(connect.popup());
    deliver({ type: 'smartcar-connect:response', version: 1, search: callbackSearch({ error: 'access_denied' }, sentState(last())) }, ORIGIN, last());
    await known;
    expect(said().filter((m) => m.includes('access_denied'))).toEqual([]);
  });


  it('says nothing when NODE_ENV is production, where a bundler could not remove the code', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const other = ORIGIN.replace('localhost', '127.0.0.1');
    createConnect({ clientId: 'app-id', redirectUri: `${other}/production` });
    stubOpen();
    void createConnect({ clientId: 'app-id', redirectUri: `${ORIGIN}/cb` }).popup().catch(() => undefined);
    vi.unstubAllEnvs();
    expect(said()).toEqual([]);
  });
});
