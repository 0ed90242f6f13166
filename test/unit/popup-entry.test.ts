import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createConnect as createMain } from '../../src/connect';
import { createConnect } from '../../src/popup-entry';
import { FLOW_TTL_MS } from '../../src/records';
import { callbackSearch, deliver, ORIGIN, POPUP_ENTRY, REDIRECT_URI, sentState, stubOpen, wire } from './harness';

// smartcar-connect-browser/popup: the popup flow alone. What it leaves to the main entry, and how
// an answer kept while the app reloaded reaches an app that has no handleRedirect().

const base = { clientId: 'app-id', redirectUri: REDIRECT_URI, mode: 'test' as const };
const NONCE = 'c'.repeat(32);

beforeEach(() => {
  vi.useFakeTimers();
});

describe('the popup entry’s client', () => {
  it('has the popup flow, the events, the authorize URL and destroy(), and nothing of the main entry’s', () => {
    const connect = createConnect(base);
    expect(Object.keys(connect).sort()).toEqual(['destroy', 'on', 'popup', 'url']);
    const main = createMain(base);
    expect(connect.url({ state: 's', forcePrompt: true, flags: { country: 'DE' } })).toBe(main.url({ state: 's', forcePrompt: true, flags: { country: 'DE' } }));
    connect.destroy();
    main.destroy();
  });

  it('is what the popup suites run against in their project', () => {
    expect(POPUP_ENTRY).toBe(process.env.SMARTCAR_ENTRY === 'popup');
  });

  it.each([
    ['reauthenticate', 'sc4a1b01e5-0497-417c-a30e-6df6ba33ba46'],
    ['batteryCapacity', 'https://connect.smartcar.com/battery-capacity?vehicle_id=v1&client_id=app-id&token=t&response_type=vehicle_id&redirect_uri='],
    ['fallback', 'redirect'],
  ])('refuses %s with a TypeError that names the main entry, before any window opens', async (name, value) => {
    const { open } = stubOpen();
    const connect = createConnect(base);
    const says = `smartcar-connect: ${name} needs the main entry: import { createConnect } from 'smartcar-connect-browser', not from its /popup entry`;
    await expect(connect.popup({ [name]: value })).rejects.toThrow(new TypeError(says));
    expect(() => connect.url({ [name]: value })).toThrow(says);
    expect(open).not.toHaveBeenCalled();
    connect.destroy();
  });

  it('sends a single-select VIN to Connect as it is: Connect itself refuses a test-mode VIN in live mode', () => {
    const connect = createConnect({ ...base, mode: 'live' });
    expect(new URL(connect.url({ singleSelect: { vin: '0SCAUDI0155C49A95' } })).searchParams.get('single_select_vin')).toBe('0SCAUDI0155C49A95');
    connect.destroy();
  });

  it('runs a popup flow to its answer, and rejects later flows once destroyed', async () => {
    const { last } = stubOpen();
    const connect = createConnect(base);
    const flow = connect.popup({ state: 'user-42' });
    deliver(wire(callbackSearch({ code: 'c1' }, sentState(last()))), ORIGIN, last());
    await expect(flow).resolves.toEqual({ flow: 'popup', code: 'c1', state: 'user-42' });
    connect.destroy();
    await expect(connect.popup()).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('an answer kept while the app reloaded, with no handleRedirect()', () => {
  const remember = () =>
    sessionStorage.setItem('smartcar-connect:popups', JSON.stringify([{ nonce: NONCE, appState: 'user-42', kind: 'authorize', clientId: 'app-id', owner: 'the page before', until: Date.now() + FLOW_TTL_MS }]));
  const keep = (params: Record<string, string>) =>
    localStorage.setItem(`smartcar-connect:kept:${NONCE}`, JSON.stringify({ search: callbackSearch(params, `${NONCE}.user-42`), at: Date.now() }));

  it('arrives through the events once the app listens (every listener of that task in), once', async () => {
    remember();
    keep({ code: 'c-kept' });
    const connect = createConnect(base);
    await vi.advanceTimersByTimeAsync(0);
    const seen: unknown[] = [];
    connect.on('error', (e) => seen.push(e.code));
    connect.on('success', (s) => seen.push(s));
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([{ flow: 'popup', code: 'c-kept', state: 'user-42', late: true }]);
    connect.on('success', (s) => seen.push(s)); // another listener later: nothing again
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(1);
    connect.destroy();
  });

  it('an error too, on its code’s event and on error, with nothing left unhandled', async () => {
    remember();
    keep({ error: 'access_denied', error_description: 'Denied' });
    const connect = createConnect(base);
    const seen: string[] = [];
    connect.on('access_denied', (e) => seen.push(`${e.code}:${String(e.late)}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['access_denied:true']);
    connect.destroy();
  });

  it('stays kept while the app does not listen', async () => {
    remember();
    keep({ code: 'c-kept' });
    const connect = createConnect(base);
    await vi.advanceTimersByTimeAsync(0);
    expect(localStorage.getItem(`smartcar-connect:kept:${NONCE}`)).not.toBeNull();
    connect.destroy();
  });
});
