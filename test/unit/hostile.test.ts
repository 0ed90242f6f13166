import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildConnectUrl, createConnect } from '../../src/index';
import { CPU_BUDGET_MS, SEEDED } from './budget';
import { callbackSearch, deliver, fakePopup, NativeChannel, ORIGIN, realDelay, REDIRECT_URI, sentState, stubOpen, wire, type FakePopup } from './harness';


beforeEach(() => vi.useFakeTimers());

/** An object whose every property read throws, as a hostile page could hand over. */
const throwing = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('hostile getter');
      },
      ownKeys() {
        throw new Error('hostile keys');
      },
    },
  );

/** Text a forger would try as a query: the flow's own state in altered forms, our parameters, junk. */
const searchFor = (wireState: string) =>
  fc
    .tuple(
      fc.constantFrom('code=forged', 'user_id=u', 'vehicle_id=v', 'error=access_denied', 'error=configuration_error&status_code=400', '', '%', '__proto__=x'),
      fc.constantFrom(
        wireState, // the real state, from the wrong origin or window
        `${'f'.repeat(32)}.${wireState.split('.')[1] ?? ''}`,
        wireState.split('.')[0],
        `${wireState}x`,
        '',
        '%E0%A4%A',
      ),
      fc.boolean(),
    )
    .map(([answer, state, withState]) => `?${answer}${withState ? `&state=${encodeURIComponent(state)}` : ''}`);

const dataFor = (wireState: string) =>
  fc.oneof(
    searchFor(wireState).map(wire),
    searchFor(wireState).map((search) => ({ ...wire(search), version: fc.sample(fc.constantFrom(0, 2, '1', null), 1)[0] })),
    searchFor(wireState).map((search) => ({ name: 'SmartcarAuthMessage', code: 'forged', state: wireState, search })),
    fc.anything(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant('throwing'),
  );

type Route = 'message' | 'channel';
const ORIGINS = [ORIGIN, 'https://evil.example', `${ORIGIN}.evil.example`, 'https://connect.smartcar.com', 'null', ''];

let messagesSent = 0;
let optionsTried = 0;
afterAll(() => {
  // The counts the suite promises, checked once every property has run.
  if (messagesSent) expect(messagesSent).toBeGreaterThanOrEqual(10_000);
  if (optionsTried) expect(optionsTried).toBeGreaterThanOrEqual(10_000);
});

describe('the receiving side against generated hostile messages', () => {
  it('never settles, cancels or throws on 10,000 forged messages, and still takes the real answer', async () => {
    const { last } = stubOpen();
    const connect = createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI, mode: 'test' });
    const events: string[] = [];
    connect.on('success', () => events.push('success'));
    connect.on('error', (e) => events.push(e.code));
    // A listener that throws is reported on the window, not to the page that dispatched the event.
    const thrown: unknown[] = [];
    window.addEventListener('error', (e) => thrown.push(e.error));
    const other: FakePopup = fakePopup('https://connect.smartcar.com/x');
    // A window this tab opened that is not the flow's popup (the route a page takes after a reload).
    const opened = { opener: window, close: vi.fn() };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            origin: fc.constantFrom(...ORIGINS),
            source: fc.constantFrom('popup', 'window', 'null', 'other', 'opened'),
            route: fc.constantFrom<Route>('message', 'message', 'channel'),
            seed: fc.integer(),
          }),
          { minLength: 50, maxLength: 50 },
        ),
        async (messages) => {
          events.length = 0;
          const promise = connect.popup({ state: 'mine' });
          const settled = vi.fn();
          promise.then(settled, settled);
          const win = last();
          win.foreign = true; // on Connect's origin, in view: a channel answer does not count
          const state = sentState(win);
          const channel = new NativeChannel('smartcar-connect');
          for (const m of messages) {
            const [data] = fc.sample(dataFor(state), { seed: m.seed, numRuns: 1 });
            const payload = data === 'throwing' ? throwing() : data;
            const source = { popup: win, window, null: null, other, opened }[m.source];
            // The flow's own popup on the redirect URI's origin is trusted, by design: leave it out.
            if (m.route === 'message' && m.origin === ORIGIN && source === win) continue;
            messagesSent++;
            if (m.route === 'channel') {
              try {
                channel.postMessage(payload);
              } catch {
                // values a channel cannot clone never leave the forger's page
              }
            } else expect(() => deliver(payload, m.origin, source)).not.toThrow();
          }
          channel.close();
          await realDelay(5);
          await vi.advanceTimersByTimeAsync(0);
          expect(settled).not.toHaveBeenCalled();
          expect(events).toEqual([]);
          expect(thrown).toEqual([]);
          expect(opened.close).not.toHaveBeenCalled(); // no answer was taken from it
          deliver(wire(callbackSearch({ code: 'real' }, state)), ORIGIN, win);
          await expect(promise).resolves.toMatchObject({ code: 'real', state: 'mine' });
          expect(events).toEqual(['success']);
        },
      ),
      { ...SEEDED, numRuns: 210 },
    );
    connect.destroy();
  }, CPU_BUDGET_MS);
});

/** Option values that break naive checks: coercible, symbolic, prototype-less, throwing. */
const nasty = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    Symbol('s'),
    10n,
    true,
    '5000',
    [1],
    { valueOf: () => 5000 },
    { toString: () => 'live' },
    Object.create(null) as object,
    ['live'],
    { width: true },
    { vin: '0SCAUDI0155C49A95' },
    { country: [1] },
    'javascript:alert(1)',
    'http://[',
    null,
    NaN,
    -1,
    2 ** 40,
  ),
  fc.constant('throwing'),
);
const KEYS = [
  'clientId', 'applicationId', 'redirectUri', 'scope', 'mode', 'responseType', 'connectOrigin', 'popup', 'timeoutMs', 'state',
  'forcePrompt', 'make', 'singleSelect', 'flags', 'user', 'externalId', 'reauthenticate', 'signal', 'fallback', 'flow',
  'constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty',
];
const optionObject = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...KEYS), nasty), { maxLength: 6 }), fc.constantFrom('plain', 'null-proto', 'getter'))
  .map(([pairs, kind]) => {
    const o: Record<string, unknown> = kind === 'null-proto' ? (Object.create(null) as Record<string, unknown>) : {};
    for (const [k, v] of pairs) {
      if (v === 'throwing' || kind === 'getter') {
        Object.defineProperty(o, k, {
          enumerable: true,
          configurable: true,
          get() {
            if (v === 'throwing') throw new Error('hostile getter');
            return v;
          },
        });
      } else Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return o;
  });

/** An error this package meant: a TypeError naming what is wrong, or one of its ConnectErrors. */
function expectOwnError(e: unknown) {
  if (e instanceof TypeError) expect(e.message).toMatch(/^smartcar-connect: /);
  else expect((e as { name?: string }).name).toMatch(/Error$/);
  if (!(e instanceof TypeError)) expect(['ConfigurationError', 'ConnectError', 'AbortError', 'PopupBlockedError']).toContain((e as Error).name);
}

describe('every public function against generated hostile options', () => {
  const base = { clientId: 'app-id', redirectUri: REDIRECT_URI, mode: 'test' as const };

  it('createConnect and buildConnectUrl: a result or a TypeError naming the option, never an engine error', () => {
    fc.assert(
      fc.property(optionObject, fc.boolean(), (extra, withBase) => {
        // Copied by descriptor: the test itself must not run the hostile getters.
        const options = withBase
          ? (Object.create(null, { ...Object.getOwnPropertyDescriptors(base), ...Object.getOwnPropertyDescriptors(extra) }) as object)
          : extra;
        for (const call of [() => createConnect(options), () => buildConnectUrl(options)]) {
          optionsTried++;
          try {
            call();
          } catch (e) {
            expect(e).toBeInstanceOf(TypeError);
            expect((e as Error).message).toMatch(/^smartcar-connect: \w+(\.\w+)? must be /);
          }
        }
      }),
      { ...SEEDED, numRuns: 2500 },
    );
  }, CPU_BUDGET_MS);

  it('popup(), redirect(), url() and attach(): never a synchronous throw from a promise, never a half-open flow', async () => {
    const { open } = stubOpen();
    vi.stubGlobal('location', { href: location.href, origin: location.origin, assign: vi.fn() });
    document.body.innerHTML = '<button id="car"></button>';
    await fc.assert(
      fc.asyncProperty(optionObject, async (options) => {
        const connect = createConnect(base);
        const opened = open.mock.calls.length;
        for (const call of [() => connect.popup(options), () => connect.redirect(options)]) {
          optionsTried++;
          let promise: Promise<unknown> | undefined;
          expect(() => (promise = call())).not.toThrow();
          const outcome = await Promise.race([promise!.then(() => 'settled', (e: unknown) => e), Promise.resolve('pending')]);
          if (outcome instanceof TypeError) expect(open.mock.calls.length).toBe(opened); // refused before any window
          if (outcome !== 'settled' && outcome !== 'pending') expectOwnError(outcome);
        }
        for (const call of [() => connect.url(options), () => connect.attach('#car', options)()]) {
          optionsTried++;
          try {
            call();
          } catch (e) {
            expect(e).toBeInstanceOf(TypeError);
            expect((e as Error).message).toMatch(/^smartcar-connect: /);
          }
        }
        connect.destroy();
        await vi.advanceTimersByTimeAsync(0);
      }),
      { ...SEEDED, numRuns: 1300 },
    );
  }, CPU_BUDGET_MS);
});
