import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createConnect, parseConnectResponse, UserCancelledError, type ConnectEventName } from '../../src/index';
import { connectAnswer, simulateConnect, type SimulatedConnect } from '../../src/testing/index';
import { BATTERY_CAPACITY_URL, BATTERY_SUCCESS_URL, BATTERY_VEHICLE_ID, REAL_VINS, REAUTH_CLIENT_ID, REAUTH_URL, REAUTH_VEHICLE_ID, TEST_MODE_VINS, TEST_VIN_MESSAGE } from '../fixtures/connect';
import { isTestModeVin, OUTCOMES } from '../../src/testing/outcomes';
import { preflight } from '../../src/preflight';
import { ERROR_CODES } from '../../src/errors';

const REDIRECT_URI = `${location.origin}/connect/callback`;
let sim: SimulatedConnect | undefined;
afterEach(() => {
  sim?.restore();
  sim = undefined;
});

function app(options: Record<string, unknown> = {}) {
  const connect = createConnect({ clientId: 'app-id', redirectUri: REDIRECT_URI, mode: 'test', ...options });
  const events: [ConnectEventName, unknown][] = [];
  for (const name of ['open', 'success', 'error', ...ERROR_CODES] as ConnectEventName[]) connect.on(name, (p) => events.push([name, p]));
  return { connect, events, names: () => events.map(([n]) => n) };
}

describe('simulateConnect: a popup flow meets each outcome through the SDK’s real path', () => {
  it('success: resolves with a code and user_id that look like Connect’s, the app’s state and externalId', async () => {
    sim = simulateConnect('success');
    const { connect, names } = app();
    const result = await connect.popup({ state: 'user-42', externalId: 'fleet-9' });
    expect(result).toEqual({
      flow: 'popup',
      code: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      externalId: 'fleet-9',
      state: 'user-42',
    });
    expect(names()).toEqual(['open', 'success']);
    expect(sim.authorizeUrls).toHaveLength(1);
    expect(sim.authorizeUrls[0].href).toBe((app().connect.url({ state: 'x' }), sim.authorizeUrls[0].href)); // a URL object
    const sent = sim.authorizeUrls[0].searchParams;
    expect([sent.get('client_id'), sent.get('redirect_uri'), sent.get('mode')]).toEqual(['app-id', REDIRECT_URI, 'test']);
    expect(sent.get('state')).toMatch(/^[0-9a-f]{32}\.user-42$/);
  });

  it('configuration_error: rejects with ConfigurationError, statusCode and errorMessage whole, and its events', async () => {
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: TEST_VIN_MESSAGE });
    const { connect, events } = app();
    const error = await connect.popup({ state: 's' }).catch((e: unknown) => e as ConfigurationError);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ statusCode: 400, errorMessage: TEST_VIN_MESSAGE, state: 's', description: 'There has been an error in the configuration of your application.' });
    expect(events.slice(1)).toEqual([
      ['configuration_error', error],
      ['error', error],
    ]);
  });

  it.each([
    ['access_denied', 'AccessDeniedError', {}],
    ['invalid_subscription', 'InvalidSubscriptionError', {}],
    ['no_vehicles', 'NoVehiclesError', {}],
    ['vehicle_incompatible', 'VehicleIncompatibleError', { vehicle: { make: 'TESLA', vin: '5YJSA1E26HF000337' } }],
    ['server_error', 'ServerError', { statusCode: 503 }],
    ['user_manually_returned_to_application', 'ReturnedToApplicationError', {}],
    ['user_cancelled', 'UserCancelledError', { description: 'cancelled at the OEM' }],
  ] as const)('%s: rejects with %s and its fields', async (outcome, name, fields) => {
    sim = simulateConnect(outcome, fields);
    const { connect, names } = app();
    const error = (await connect.popup().catch((e: unknown) => e)) as Record<string, unknown>;
    expect(error.name).toBe(name);
    expect(error.code).toBe(outcome);
    if ('vehicle' in fields) expect(error.vehicle).toEqual(fields.vehicle);
    if ('statusCode' in fields) expect(error.statusCode).toBe(503);
    if ('description' in fields) expect(error.description).toBe('cancelled at the OEM');
    expect(names()).toEqual(['open', outcome, 'error']);
  });

  it('popup_blocked: rejects with PopupBlockedError; the URL the app tried is still recorded', async () => {
    sim = simulateConnect('popup_blocked');
    const { connect, names } = app();
    await expect(connect.popup()).rejects.toMatchObject({ name: 'PopupBlockedError' });
    expect(names()).toEqual(['popup_blocked', 'error']);
    expect(sim.authorizeUrls).toHaveLength(1);
  });

  it('popup_closed: rejects with PopupClosedError after the SDK’s own close detection (fake timers advance it)', async () => {
    vi.useFakeTimers();
    sim = simulateConnect('popup_closed');
    const { connect, names } = app();
    const caught = connect.popup().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await caught).toMatchObject({ name: 'PopupClosedError' });
    expect(names()).toEqual(['open', 'popup_closed', 'error']);
    connect.destroy();
  });

  it('severed: the popup is cut off as COOP would, and the answer comes by BroadcastChannel', async () => {
    sim = simulateConnect('severed', { code: 'by-channel' });
    const { connect, names } = app();
    await expect(connect.popup({ state: 'coop' })).resolves.toMatchObject({ code: 'by-channel', state: 'coop' });
    expect(names()).toEqual(['open', 'success']);
  });

  it('no_answer: the flow stays pending until the app gives up', async () => {
    sim = simulateConnect('no_answer');
    const { connect } = app();
    const controller = new AbortController();
    const promise = connect.popup({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('gave up'));
    await expect(promise).rejects.toThrow('gave up');
  });

  it('a second popup() while the stand-in window is open focuses it and shares the flow', async () => {
    sim = simulateConnect('no_answer');
    const { connect } = app();
    const first = connect.popup();
    const second = connect.popup();
    expect(second).toBe(first);
    expect(sim.authorizeUrls).toHaveLength(1);
    connect.destroy();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('re-authentication answers with the vehicle it was given', async () => {
    sim = simulateConnect('success');
    const { connect } = app({ clientId: '8229df9f-91a0-4ff0-a1ae-a1f38ee24d07', connectOrigin: 'https://connect.smartcar.com' });
    await expect(connect.popup({ reauthenticate: REAUTH_URL })).resolves.toEqual({ flow: 'popup', vehicleId: REAUTH_VEHICLE_ID });
    expect(sim.authorizeUrls[0].pathname).toBe('/oauth/reauthenticate');
  });

  it('the redirect-less flow answers with Connect’s own message', async () => {
    sim = simulateConnect('success', { userId: 'u-1' });
    const { connect } = app({ redirectUri: undefined, responseType: 'none' });
    await expect(connect.popup({ state: 's' })).resolves.toEqual({ flow: 'popup', userId: 'u-1', state: 's' });
  });
});

describe('simulateConnect: attach()', () => {
  it('marks the button busy while the flow runs and reports through the events', async () => {
    document.body.innerHTML = '<button id="car">Connect</button>';
    sim = simulateConnect('user_cancelled');
    const { connect, names } = app();
    connect.attach('#car');
    document.getElementById('car')!.click();
    expect(document.getElementById('car')!.getAttribute('aria-busy')).toBe('true');
    await vi.waitFor(() => expect(names()).toEqual(['open', 'user_cancelled', 'error']));
    expect(document.getElementById('car')!.hasAttribute('aria-busy')).toBe(false);
    connect.destroy();
  });
});

describe('simulateConnect: the same-window flow', () => {
  it('does not leave the page; the return URL is in the address bar for the app’s handleRedirect()', async () => {
    history.replaceState(null, '', '/cars?tab=1');
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: TEST_VIN_MESSAGE });
    const { connect, names } = app({ redirectUri: `${location.origin}/cars?tab=1` });
    await connect.redirect({ state: 'same window' });
    expect(location.search).toContain('error=configuration_error');
    const error = await connect.handleRedirect().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigurationError', statusCode: 400, errorMessage: TEST_VIN_MESSAGE, state: 'same window' });
    expect(location.search).toBe('?tab=1');
    expect(names()).toEqual(['open', 'configuration_error', 'error']);
    expect(sim.authorizeUrls[0].searchParams.get('redirect_uri')).toBe(`${location.origin}/cars?tab=1`);
  });

  it('a success with user_id comes back to handleRedirect()', async () => {
    sim = simulateConnect('success', { userId: 'u-9', code: 'c-9' });
    const { connect } = app({ redirectUri: `${location.origin}/back` });
    await connect.redirect();
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', code: 'c-9', userId: 'u-9' });
  });
});

describe('connectAnswer', () => {
  const authorize = 'https://connect.smartcar.com/oauth/authorize?response_type=code&client_id=a&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fkeep%3D1&state=0facda3319&external_id=e-1';

  it('answers an authorize URL as Connect would, keeping the redirect URI’s own query, the state and the external id', () => {
    const back = new URL(connectAnswer(authorize, 'success', { code: 'c', userId: 'u' }));
    expect(back.origin + back.pathname).toBe('https://app.example/cb');
    expect([...back.searchParams]).toEqual([
      ['keep', '1'],
      ['code', 'c'],
      ['user_id', 'u'],
      ['external_id', 'e-1'],
      ['state', '0facda3319'],
    ]);
  });

  it('gives the docs’ configuration_error and re-authentication redirects', () => {
    const r = parseConnectResponse(connectAnswer(authorize, 'configuration_error', { statusCode: 400, errorMessage: TEST_VIN_MESSAGE }));
    expect(r.ok ? null : r.error).toMatchObject({ code: 'configuration_error', statusCode: 400, errorMessage: TEST_VIN_MESSAGE, state: '0facda3319' });
    expect(connectAnswer(REAUTH_URL, 'success')).toBe(`https://example.com/home?vehicle_id=${REAUTH_VEHICLE_ID}&state=0facda3319`);
    const cancelled = parseConnectResponse(connectAnswer(REAUTH_URL, 'user_cancelled'));
    expect(cancelled.ok ? null : cancelled.error).toBeInstanceOf(UserCancelledError);
  });

  it('refuses an unknown outcome, a field the outcome does not have, an outcome without a redirect, and a URL without redirect_uri', () => {
    expect(() => connectAnswer(authorize, 'allow' as never)).toThrow(/unknown outcome allow/);
    expect(() => connectAnswer(authorize, 'access_denied', { statusCode: 400 })).toThrow('access_denied has no field statusCode');
    expect(() => connectAnswer(authorize, 'popup_closed')).toThrow(/sends nothing back/);
    expect(() => connectAnswer('https://connect.smartcar.com/oauth/authorize?client_id=a', 'success')).toThrow(/redirect_uri/);
  });
});

describe('simulateConnect and connectAnswer: Connect at the end of 2026', () => {
  const battery = (redirectUri = REDIRECT_URI) => BATTERY_CAPACITY_URL.replace('redirect_uri=', `redirect_uri=${encodeURIComponent(redirectUri)}`);

  it('answers the battery-capacity page as its docs show: vehicle, capacity and reason, without state', () => {
    const url = battery('https://example.com/home');
    expect(connectAnswer(url, 'success')).toBe(BATTERY_SUCCESS_URL);
    expect(new URL(connectAnswer(`${url}&state=s`, 'success', { selectedCapacity: 75 })).search).toBe(`?vehicle_id=${BATTERY_VEHICLE_ID}&selected_capacity=75&reason=battery_capacity`);
    expect(new URL(connectAnswer(url, 'battery_capacity_no_selection')).searchParams.get('vehicle_id')).toBe(BATTERY_VEHICLE_ID);
  });

  it('success on the battery-capacity page: a popup flow resolves with the stateless answer, with the app’s state', async () => {
    sim = simulateConnect('success', { selectedCapacity: 82.5 });
    const { connect, names } = app({ clientId: REAUTH_CLIENT_ID });
    await expect(connect.popup({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' })).resolves.toEqual({
      flow: 'popup',
      vehicleId: BATTERY_VEHICLE_ID,
      selectedCapacity: 82.5,
      reason: 'battery_capacity',
      state: 'soh',
    });
    expect(names()).toEqual(['open', 'success']);
    expect(sim.authorizeUrls[0].pathname).toBe('/battery-capacity');
  });

  it('battery_capacity_no_selection and oem_cancelled_login: their own errors, in the popup and in the same window', async () => {
    sim = simulateConnect('battery_capacity_no_selection');
    const { connect } = app({ clientId: REAUTH_CLIENT_ID });
    await expect(connect.popup({ batteryCapacity: BATTERY_CAPACITY_URL, state: 's' })).rejects.toMatchObject({ name: 'BatteryCapacityNoSelectionError', vehicleId: BATTERY_VEHICLE_ID, state: 's' });
    await connect.redirect({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'w' });
    await expect(connect.handleRedirect()).rejects.toMatchObject({ name: 'BatteryCapacityNoSelectionError', vehicleId: BATTERY_VEHICLE_ID, state: 'w' });
    sim.restore();
    sim = simulateConnect('oem_cancelled_login');
    await expect(app().connect.popup({ state: 'o' })).rejects.toMatchObject({ name: 'OemCancelledLoginError', description: 'The user did not complete authorization with the OEM', state: 'o' });
  });

  it('success on the battery-capacity page in the same window: handleRedirect() takes the stateless answer for the flow it stored', async () => {
    sim = simulateConnect('success');
    const { connect } = app({ clientId: REAUTH_CLIENT_ID });
    await connect.redirect({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' });
    expect(new URL(location.href).searchParams.has('state')).toBe(false);
    await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', vehicleId: BATTERY_VEHICLE_ID, selectedCapacity: 80.9, reason: 'battery_capacity', state: 'soh' });
  });
});

describe('simulateConnect: how the answer reaches the app', () => {
  it('address_bar: a callback page without the script; the SDK reads the popup’s address bar and resolves', async () => {
    sim = simulateConnect('success', { code: 'c-bare' }, { delivery: 'address_bar' });
    const { connect, names } = app();
    await expect(connect.popup({ state: 'bare' })).resolves.toMatchObject({ flow: 'popup', code: 'c-bare', state: 'bare' });
    expect(names()).toEqual(['open', 'success']);
  });

  it('address_bar: Connect’s errors come the same way, whole', async () => {
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: TEST_VIN_MESSAGE }, { delivery: 'address_bar' });
    const error = await app().connect.popup().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'configuration_error', statusCode: 400, errorMessage: TEST_VIN_MESSAGE });
  });

  it('after_reload: the running flow hears nothing; the app made anew gets the answer once from handleRedirect(), late', async () => {
    sim = simulateConnect('success', { code: 'c-kept', userId: 'u-1' }, { delivery: 'after_reload' });
    const before = app();
    const settled = vi.fn();
    before.connect.popup({ state: 'user-42' }).then(settled, settled);
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).not.toHaveBeenCalled();
    before.connect.destroy(); // the old page is gone
    const after = app(); // the app's next load
    await expect(after.connect.handleRedirect()).resolves.toEqual({ flow: 'popup', code: 'c-kept', userId: 'u-1', state: 'user-42', late: true });
    expect(after.names()).toEqual(['success']);
    await expect(app().connect.handleRedirect()).resolves.toBeNull();
  });

  it('refuses a delivery it does not know, and one for an outcome that sends no answer', () => {
    expect(() => simulateConnect('success', {}, { delivery: 'pigeon' as never })).toThrow('delivery must be one of relay, address_bar, after_reload');
    expect(() => simulateConnect('popup_closed', {}, { delivery: 'after_reload' })).toThrow("delivery after_reload is for success and Connect's errors, not popup_closed");
    expect(() => simulateConnect('severed', {}, { delivery: 'address_bar' })).toThrow("delivery address_bar is for success and Connect's errors, not severed");
  });
});

describe('the stand-in’s outcomes', () => {
  it('are Connect’s answers, as this SDK parses them: Allow a success, each error its own class or a code it keeps', () => {
    for (const [name, { label, params }] of Object.entries(OUTCOMES)) {
      expect(label).not.toBe('');
      const r = parseConnectResponse(new URLSearchParams(params()));
      if (name.startsWith('allow')) expect(r.ok).toBe(true);
      else if (r.ok) throw new Error(`${name} should be an error`);
      else expect(r.error.code).toBe(name === 'unknown_error' ? 'rate_limited_by_oem' : name);
    }
  });
});

describe('simulateConnect: careless use', () => {
  it('refuses a second simulateConnect without restore(), and restore() puts window.open back', () => {
    const open = Object.getOwnPropertyDescriptor(window, 'open');
    sim = simulateConnect('success');
    expect(() => simulateConnect('access_denied')).toThrow(/already active/);
    expect(Object.getOwnPropertyDescriptor(window, 'open')).not.toEqual(open);
    sim.restore();
    sim = undefined;
    expect(Object.getOwnPropertyDescriptor(window, 'open')).toEqual(open);
    simulateConnect('access_denied').restore();
  });

  it('refuses an unknown outcome and a field of another outcome', () => {
    expect(() => simulateConnect('popup-closed' as never)).toThrow(TypeError);
    expect(() => simulateConnect('popup_blocked', { code: 'c' })).toThrow('popup_blocked has no field code');
  });
});

describe('the stand-in’s test-mode VIN check', () => {
  it('agrees with the SDK’s own preflight on Smartcar’s test-mode VINs and on real ones', () => {
    for (const vin of TEST_MODE_VINS) expect([isTestModeVin(vin), preflight('live', vin)?.code]).toEqual([true, 'configuration_error']);
    for (const vin of REAL_VINS) expect([isTestModeVin(vin), preflight('live', vin)]).toEqual([false, undefined]);
  });
});
