import { createRequire } from 'node:module';
import Official from '@smartcar/auth';
import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import Source from '../../src/compat';
import { callbackSearch, deliver, ORIGIN, REDIRECT_URI, sentState, stubOpen, wire } from './harness';

// What @smartcar/auth 2.14.1's own tests expect of an app's view, held against the drop-in (its source,
// and dist/compat.cjs as `require()` gives it), beside the official SDK itself where both can run.

const Built = createRequire(import.meta.url)('../../dist/compat.cjs') as typeof Source;
const instances: { unmount(): void }[] = [];
afterEach(() => instances.splice(0).forEach((s) => s.unmount()));

const HOSTED_URI = `https://javascript-sdk.smartcar.com/v2/redirect?app_origin=${encodeURIComponent(ORIGIN)}`;

describe.each([
  ['src/compat.ts', Source],
  ['dist/compat.cjs', Built],
])('the drop-in (%s)', (_, Smartcar) => {
  function both(options: Record<string, unknown>) {
    const calls: unknown[][] = [];
    // Two parameters at least, as the official SDK asks of an app on its hosted page.
    const onComplete = (error: unknown, code: unknown, ...rest: unknown[]) => void calls.push([error, code, ...rest]);
    const config = { applicationId: 'app-id', scope: ['read_vehicle_info'], onComplete, ...options };
    const ours = new Smartcar(config);
    const official = new Official(config);
    official.instanceId = ours.instanceId;
    instances.push(ours, official);
    return { ours, official, calls };
  }

  it('opens the popup, as the official SDK does, for a redirect page on another origin that names no app_origin of this page', () => {
    const warn: MockInstance<typeof console.warn> = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { open } = stubOpen();
    const { ours, official } = both({ redirectUri: 'https://api.app.example/smartcar/callback' });
    ours.openDialog({ state: 'server-side', forcePrompt: true });
    official.openDialog({ state: 'server-side', forcePrompt: true });
    expect(open).toHaveBeenCalledTimes(2);
    expect(open.mock.calls[0]).toEqual(open.mock.calls[1]); // its URL, window name and features
    document.body.innerHTML = '<button id="connect">Connect</button>';
    ours.addClickHandler({ id: 'connect', state: 'click' });
    document.getElementById('connect')!.click();
    expect(open).toHaveBeenCalledTimes(3);
    if (Smartcar === Source) {
      expect(warn.mock.calls.map(([m]) => String(m)).join('\n')).toContain('on another origin than this page, which does not hear its answer');
    }
  });

  it('passes the message’s code and userId beside an error, as the official SDK does', async () => {
    const { last } = stubOpen();
    const { ours, calls } = both({ redirectUri: HOSTED_URI });
    ours.openDialog({ state: 'user-42' });
    const message = {
      name: 'SmartcarAuthMessage',
      isSmartcarHosted: true,
      code: 'a-code',
      error: 'access_denied',
      errorDescription: 'The user denied access',
      state: sentState(last()),
      vin: null,
      make: null,
      model: null,
      year: null,
      virtualKeyUrl: null,
      userId: 'a-user',
      externalId: null,
    };
    deliver(message, 'https://javascript-sdk.smartcar.com', last());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const [error, ...fields] = calls[0];
    expect(error).toMatchObject({ name: 'AccessDenied', message: 'The user denied access' });
    expect(fields).toEqual(['a-code', 'user-42', null, 'a-user', null]);
  });

  it('passes the hosted page’s null fields after an error as null, where the app posts them on', async () => {
    const { last } = stubOpen();
    const { ours, calls } = both({ redirectUri: HOSTED_URI });
    ours.openDialog();
    const state = sentState(last());
    const absent = { code: null, vin: null, make: null, model: null, year: null, virtualKeyUrl: null, userId: null, externalId: null };
    deliver({ name: 'SmartcarAuthMessage', ...absent, error: 'invalid_subscription', errorDescription: 'Inactive', state }, 'https://javascript-sdk.smartcar.com', last());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0].slice(1)).toEqual([null, undefined, null, null, null]);
  });

  it('writes openDialog()’s URL as the official SDK does, but for client_id and the state', () => {
    const { last } = stubOpen();
    const { ours, official } = both({ redirectUri: REDIRECT_URI });
    const options = { forcePrompt: false, vehicleInfo: { make: 'TESLA' }, singleSelect: false, flags: ['country:DE'], user: 'u-1' };
    ours.openDialog(options);
    const sent = new URL(last().url);
    const expected = new URL(official.getAuthUrl(options).replace('application_id=', 'client_id='));
    expected.searchParams.set('state', sent.searchParams.get('state')!);
    expect([...sent.searchParams]).toEqual([...expected.searchParams]);
    expect(sent.searchParams.get('single_select')).toBe('false');
    expect(sent.searchParams.get('approval_prompt')).toBe('auto');
    expect(sent.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('writes openDialog()’s redirect-less URL as the official SDK does, with the page’s app_origin', () => {
    const { last } = stubOpen();
    const { ours, official } = both({ responseType: 'none', redirectUri: undefined });
    ours.openDialog({ state: 'no-redirect' });
    const sent = new URL(last().url);
    const expected = new URL(official.getAuthUrl({ state: 'no-redirect' }).replace('application_id=', 'client_id='));
    expected.searchParams.set('state', sent.searchParams.get('state')!);
    expect([...sent.searchParams]).toEqual([...expected.searchParams]);
    expect(sent.searchParams.get('app_origin')).toBe(location.origin);
  });

  it('still answers onComplete for its own callback page, null where Connect sent nothing, as Smartcar’s pages post it', async () => {
    const { last } = stubOpen();
    const { ours, calls } = both({ redirectUri: REDIRECT_URI });
    ours.openDialog({ state: 's' });
    deliver(wire(callbackSearch({ code: 'c', user_id: 'u' }, sentState(last()))), ORIGIN, last());
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual([null, 'c', 's', null, 'u', null]);
  });
});
