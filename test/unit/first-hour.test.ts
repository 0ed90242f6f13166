import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { buildConnectUrl, createConnect } from '../../src/index';
import { REDIRECT_URI, stubOpen } from './harness';

// The mistakes of an app developer's first hour, each named with its fix before Connect opens: a
// TypeError where Connect would refuse the option, a development warning (once) where it may
// still work.

let warnings: MockInstance<typeof console.warn>;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
const warned = () => warnings.mock.calls.map(([m]) => String(m));
const base = { clientId: 'app-id', redirectUri: REDIRECT_URI };

describe('a client secret among the options', () => {
  const SECRET_FIX = 'exchange the code for tokens on your server, which alone keeps the client secret';

  it.each(['clientSecret', 'client_secret', 'secret', 'CLIENT_SECRET', 'appSecret'])('refuses %s in createConnect and buildConnectUrl, naming it and the fix', (key) => {
    const options = { ...base, [key]: 'shh' };
    for (const call of [() => createConnect(options), () => buildConnectUrl(options)]) {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(`smartcar-connect: ${key} must never be in browser code: ${SECRET_FIX}`);
    }
  });

  it('refuses one among a flow’s options too, before any window opens', async () => {
    const { open } = stubOpen();
    const connect = createConnect(base);
    await expect(connect.popup({ clientSecret: 'shh' } as never)).rejects.toThrow('clientSecret must never be in browser code');
    await expect(connect.redirect({ client_secret: 'shh' } as never)).rejects.toThrow('client_secret must never be in browser code');
    expect(() => connect.url({ secret: 'shh' } as never)).toThrow('secret must never be in browser code');
    expect(() => connect.attach('#car', { clientSecret: 'shh' } as never)).toThrow('clientSecret must never be in browser code');
    expect(open).not.toHaveBeenCalled();
    connect.destroy();
  });

  it('refuses it from options read with JSON.parse, and never reads its value', () => {
    const options = JSON.parse(`{"clientId":"app-id","redirectUri":"${REDIRECT_URI}","client_secret":"shh"}`) as object;
    expect(() => createConnect(options)).toThrow('client_secret must never be in browser code');
    const getter = vi.fn(() => 'shh');
    expect(() => createConnect(Object.defineProperty({ ...base }, 'clientSecret', { get: getter, enumerable: true }))).toThrow(TypeError);
    expect(getter).not.toHaveBeenCalled();
  });
});

describe('a client id of Smartcar’s API credentials (client_…)', () => {
  it('warns once that the browser flow takes the application id from the dashboard, and still works', () => {
    const connect = createConnect({ ...base, clientId: 'client_7f3e2a' });
    createConnect({ ...base, clientId: 'client_7f3e2a' }).destroy();
    expect(new URL(connect.url()).searchParams.get('client_id')).toBe('client_7f3e2a');
    expect(warned()).toEqual([
      "smartcar-connect: clientId client_7f3e2a looks like one of Smartcar's API credentials (client_…), which the browser Connect flow does not take. " +
        "Use your application's id from the Smartcar Dashboard (a UUID) as clientId.",
    ]);
    connect.destroy();
  });

  it('says nothing for an application id', () => {
    createConnect({ ...base, clientId: '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07' }).destroy();
    expect(warned()).toEqual([]);
  });
});

describe('redirectUri mistakes, each with its own message', () => {
  it.each([
    ['http on a host other than loopback', 'http://app.example.com/callback', 'https (http only on localhost, 127.0.0.1 or [::1]): Connect takes http only for local testing; serve the callback page over https'],
    ['a path', '/connect/callback', 'an absolute URL (https://…): Connect redirects to the exact URL you registered, so give it whole, such as new URL("/connect/callback", location.origin).href'],
    ['a file name', 'callback.html', 'an absolute URL (https://…)'],
    ['a host without its scheme', 'localhost:3000/callback', 'an absolute URL (https://…)'],
    ['a #fragment', 'https://app.example.com/callback#done', 'without a #fragment: Connect adds its answer to the query and the fragment would come back with it; register the URL without one'],
    ['a custom scheme', 'sc8229df9f://callback', 'an https URL, not a custom scheme: custom schemes (sc<clientId>://) are for Smartcar’s mobile SDKs; a browser app needs a page of its own origin'],
    ['javascript:', 'javascript:alert(1)', 'an https URL, not a custom scheme'],
    ['a number', 42, 'an https URL'],
  ])('refuses %s', (_, redirectUri, expected) => {
    expect(() => createConnect({ ...base, redirectUri: redirectUri as string })).toThrow(`smartcar-connect: redirectUri must be ${expected}`);
  });

  it.each(['http://localhost:5170/callback', 'http://127.0.0.1:8000/cb', 'http://[::1]:3000/cb', 'https://app.example.com/connect/callback?tab=cars'])(
    'takes %s',
    (redirectUri) => {
      expect(new URL(buildConnectUrl({ ...base, redirectUri })).searchParams.get('redirect_uri')).toBe(redirectUri);
    },
  );
});

describe('an option that does not exist', () => {
  it.each([
    ['redirectURI', 'redirectUri'],
    ['redirect_uri', 'redirectUri'],
    ['redirectUrl', 'redirectUri'],
    ['clientID', 'clientId'],
    ['client_id', 'clientId'],
    ['scopes', 'scope'],
    ['testMode', "mode: 'test'"],
    ['onComplete', "the promise popup() returns, or on('success') and on('error')"],
  ])('warns once that %s is ignored, naming %s', (key, meant) => {
    const options = { clientId: 'app-id', redirectUri: REDIRECT_URI, [key]: 'x' };
    createConnect(options).destroy();
    createConnect(options).destroy();
    expect(warned()).toEqual([`smartcar-connect: ${key} is not an option of smartcar-connect-browser, so it is ignored. Did you mean ${meant}?`]);
  });

  it('warns for a flow’s own options too, and says so plainly when nothing is close', () => {
    const connect = createConnect(base);
    expect(new URL(connect.url({ stat: 'user-42', colour: 'red' } as never)).searchParams.get('state')).toBeNull();
    expect(warned()).toEqual([
      'smartcar-connect: stat is not an option of smartcar-connect-browser, so it is ignored. Did you mean state?',
      'smartcar-connect: colour is not an option of smartcar-connect-browser, so it is ignored.',
    ]);
    connect.destroy();
  });
});

describe('a flow started where there is no browser window (a server, a worker)', () => {
  it('rejects popup(), redirect() and handleRedirect() with an InvalidStateError that says so, and attach() throws it', async () => {
    const connect = createConnect(base);
    vi.stubGlobal('window', undefined);
    const says = { name: 'InvalidStateError', message: 'smartcar-connect: no browser window here: Connect flows run in a browser window (a server or a worker has none), so start them from a page' };
    await expect(connect.popup()).rejects.toMatchObject(says);
    await expect(connect.redirect()).rejects.toMatchObject(says);
    await expect(connect.handleRedirect()).rejects.toMatchObject(says);
    expect(() => connect.attach('#car')).toThrow(expect.objectContaining(says) as Error);
    expect(new URL(connect.url({ state: 's' })).searchParams.get('state')).toBe('s'); // url() is pure: it works anywhere
    vi.unstubAllGlobals();
    connect.destroy();
  });
});
