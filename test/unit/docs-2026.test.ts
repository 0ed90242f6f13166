import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BatteryCapacityNoSelectionError,
  buildConnectUrl,
  ConfigurationError,
  OemCancelledLoginError,
  parseConnectResponse,
  StateMismatchError,
  type ConnectSuccess,
} from '../../src/index';
import {
  AUTHENTICATION_FAILED_ERROR,
  BATTERY_CAPACITY_URL,
  BATTERY_NO_SELECTION_URL,
  BATTERY_SUCCESS_URL,
  BATTERY_TOKEN,
  BATTERY_VEHICLE_ID,
  DOCS_FLAGS,
  OEM_CANCELLED_DESCRIPTION,
  OEM_CANCELLED_URL,
  PERMISSION_RESOLUTION,
  REAUTH_CLIENT_ID,
  REAUTH_URL,
  REAUTH_VEHICLE_ID,
  TESLA_PERMISSION_URL,
  VIRTUAL_KEY_RESOLUTION,
} from '../fixtures/connect';
import { broadcast, callbackSearch, connectWithLog, deliver, ORIGIN, REDIRECT_URI, rejection, sentState, stubOpen, wire } from './harness';

// Connect as Smartcar documents it at the end of 2026: every example URL through the parser and
// both flows, and every refusal before any window opens.

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

const CLIENT = { clientId: REAUTH_CLIENT_ID, redirectUri: REDIRECT_URI, mode: 'test' as const };
const query = (url: string) => url.slice(url.indexOf('?'));

describe('oem_cancelled_login', () => {
  it('gives the docs’ malformed example its typed error, with our description where Connect sent none', () => {
    const r = parseConnectResponse(OEM_CANCELLED_URL);
    if (r.ok) throw new Error('expected an error');
    expect(r.error).toBeInstanceOf(OemCancelledLoginError);
    expect(r.error).toMatchObject({ name: 'OemCancelledLoginError', code: 'oem_cancelled_login', description: OEM_CANCELLED_DESCRIPTION });
  });

  it('keeps Connect’s own description when it sends one', () => {
    const r = parseConnectResponse('?error=oem_cancelled_login&error_description=Left%20the%20carmaker%E2%80%99s%20page');
    expect(r.ok || r.error.description).toBe('Left the carmaker’s page');
  });

  it('rejects a popup flow with it, with the flow’s state, and emits oem_cancelled_login then error', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog();
    const caught = rejection<OemCancelledLoginError>(connect.popup({ state: 'oem' }));
    deliver(wire(query(OEM_CANCELLED_URL)), ORIGIN, last()); // no state at all, from the flow's own window
    expect(await caught).toMatchObject({ code: 'oem_cancelled_login', state: 'oem', description: OEM_CANCELLED_DESCRIPTION });
    expect(names()).toEqual(['open', 'oem_cancelled_login', 'error']);
  });

  it('rejects a same-window return with it', async () => {
    const { connect } = connectWithLog();
    await connect.redirect({ state: 'oem' }).catch(() => undefined);
    history.replaceState(null, '', `/connect/callback${query(OEM_CANCELLED_URL)}`); // the redirect URI's page
    expect(await rejection(connect.handleRedirect())).toMatchObject({ name: 'OemCancelledLoginError', state: 'oem' });
  });
});

describe('the battery-capacity page', () => {
  it('parses both documented answers: selectedCapacity as a number, and the no-selection error with its vehicle', () => {
    expect(parseConnectResponse(BATTERY_SUCCESS_URL)).toEqual({ ok: true, result: { vehicleId: BATTERY_VEHICLE_ID, selectedCapacity: 80.9, reason: 'battery_capacity' } });
    const r = parseConnectResponse(BATTERY_NO_SELECTION_URL);
    if (r.ok) throw new Error('expected an error');
    expect(r.error).toBeInstanceOf(BatteryCapacityNoSelectionError);
    expect(r.error).toMatchObject({ code: 'battery_capacity_no_selection', vehicleId: BATTERY_VEHICLE_ID, description: 'user did not know battery capacity' });
  });

  it.each(['', 'abc', '80,9', '-1', '0', '1e3', 'Infinity'])('leaves out a selected_capacity that is not a positive decimal (%j)', (raw) => {
    const r = parseConnectResponse(`?vehicle_id=v&selected_capacity=${encodeURIComponent(raw)}&reason=battery_capacity`);
    expect(r).toEqual({ ok: true, result: { vehicleId: 'v', reason: 'battery_capacity' } });
  });

  it('builds the page’s URL from the API’s url: its vehicle, client and token kept, the redirect URI filled in, the flow’s state added', () => {
    const built = new URL(buildConnectUrl({ ...CLIENT, scope: ['read_battery'], batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' }));
    expect(built.origin + built.pathname).toBe('https://connect.smartcar.com/battery-capacity');
    expect([...built.searchParams]).toEqual([
      ['vehicle_id', BATTERY_VEHICLE_ID],
      ['client_id', REAUTH_CLIENT_ID],
      ['token', BATTERY_TOKEN],
      ['response_type', 'vehicle_id'],
      ['redirect_uri', REDIRECT_URI],
      ['state', 'soh'],
    ]);
  });

  it('takes a URL that names no client, or this client as application_id', () => {
    const bare = 'https://connect.smartcar.com/battery-capacity?vehicle_id=v-1&response_type=vehicle_id&redirect_uri=';
    expect(new URL(buildConnectUrl({ ...CLIENT, batteryCapacity: bare })).searchParams.get('vehicle_id')).toBe('v-1');
    const older = BATTERY_CAPACITY_URL.replace('client_id=', 'application_id=');
    expect(new URL(buildConnectUrl({ ...CLIENT, batteryCapacity: older })).searchParams.get('client_id')).toBe(REAUTH_CLIENT_ID);
  });

  it.each([
    ['another origin', BATTERY_CAPACITY_URL.replace('connect.smartcar.com', 'connect.evil.example')],
    ['another client', BATTERY_CAPACITY_URL.replace('client_id=8229df9f', 'client_id=0000df9f')],
    ['another path', BATTERY_CAPACITY_URL.replace('/battery-capacity', '/oauth/authorize')],
    ['no vehicle', BATTERY_CAPACITY_URL.replace(/vehicle_id=[^&]+&/, '')],
    ['a javascript: URL', 'javascript:alert(1)//connect.smartcar.com/battery-capacity?vehicle_id=v'],
    ['a vehicle id alone', BATTERY_VEHICLE_ID],
    ['http', BATTERY_CAPACITY_URL.replace('https:', 'http:')],
  ])('refuses %s with a TypeError naming batteryCapacity, before any window opens', async (_, batteryCapacity) => {
    expect(() => buildConnectUrl({ ...CLIENT, batteryCapacity })).toThrow(/^smartcar-connect: batteryCapacity must be /);
    const { open } = stubOpen();
    const { connect, log } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
    expect(await rejection(connect.popup({ batteryCapacity }))).toBeInstanceOf(TypeError);
    expect(await rejection(connect.redirect({ batteryCapacity }))).toBeInstanceOf(TypeError);
    expect(() => connect.url({ batteryCapacity })).toThrow(TypeError);
    expect([open.mock.calls.length, log.length]).toEqual([0, 0]);
  });

  it.each([['forcePrompt', true], ['make', 'TESLA'], ['singleSelect', true], ['flags', { country: 'GB' }], ['reauthenticate', REAUTH_VEHICLE_ID], ['user', 'u'], ['externalId', 'e']])(
    'refuses %s beside it, naming it',
    (name, value) => {
      expect(() => buildConnectUrl({ ...CLIENT, batteryCapacity: BATTERY_CAPACITY_URL, [name]: value })).toThrow(`smartcar-connect: ${name} must be left out with batteryCapacity`);
    },
  );

  it('needs a redirect URI to fill in', () => {
    expect(() => buildConnectUrl({ clientId: REAUTH_CLIENT_ID, responseType: 'none', batteryCapacity: BATTERY_CAPACITY_URL })).toThrow('batteryCapacity must be used with a redirectUri');
  });

  it('resolves a popup flow with the page’s stateless answer from the flow’s own window, with the app’s state', async () => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
    const promise = connect.popup({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' });
    expect(new URL(last().url).pathname).toBe('/battery-capacity');
    deliver(wire(query(BATTERY_SUCCESS_URL)), ORIGIN, last());
    const success: ConnectSuccess = { flow: 'popup', vehicleId: BATTERY_VEHICLE_ID, selectedCapacity: 80.9, reason: 'battery_capacity', state: 'soh' };
    await expect(promise).resolves.toEqual(success);
    expect(log.map(([n]) => n)).toEqual(['open', 'success']);
  });

  it('resolves from the popup’s address bar too (a callback page without the script)', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
    const promise = connect.popup({ batteryCapacity: BATTERY_CAPACITY_URL });
    last().href = `${REDIRECT_URI}${query(BATTERY_SUCCESS_URL)}`;
    await vi.advanceTimersByTimeAsync(100);
    await expect(promise).resolves.toMatchObject({ vehicleId: BATTERY_VEHICLE_ID, selectedCapacity: 80.9 });
  });

  it('rejects with BatteryCapacityNoSelectionError, with the vehicle and the app’s state', async () => {
    const { last } = stubOpen();
    const { connect, names } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
    const caught = rejection<BatteryCapacityNoSelectionError>(connect.popup({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' }));
    deliver(wire(query(BATTERY_NO_SELECTION_URL)), ORIGIN, last());
    expect(await caught).toMatchObject({ code: 'battery_capacity_no_selection', vehicleId: BATTERY_VEHICLE_ID, state: 'soh' });
    expect(names()).toEqual(['open', 'battery_capacity_no_selection', 'error']);
  });

  it('takes a stateless answer for another vehicle as StateMismatchError, and none by channel or from another window', async () => {
    const { last } = stubOpen();
    const { connect, log } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
    const pending = connect.popup({ batteryCapacity: BATTERY_CAPACITY_URL });
    const settled = vi.fn();
    pending.then(settled, settled);
    last().closed = true; // out of view, as if severed: the channel would count, if the answer had a state
    await broadcast(query(BATTERY_SUCCESS_URL));
    deliver(wire(query(BATTERY_SUCCESS_URL)), ORIGIN, { opener: null }); // another window of this origin
    expect(settled).not.toHaveBeenCalled();
    last().closed = false;
    deliver(wire(query(BATTERY_SUCCESS_URL).replace(BATTERY_VEHICLE_ID, 'another-vehicle')), ORIGIN, last());
    expect(await rejection(pending)).toBeInstanceOf(StateMismatchError);
    expect(log.map(([n]) => n)).toEqual(['open', 'state_mismatch', 'error']);
  });

  it('takes a stateless authorize answer from a flow that is not a battery-capacity one as StateMismatchError', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog();
    const caught = rejection(connect.popup());
    deliver(wire(query(BATTERY_SUCCESS_URL)), ORIGIN, last());
    expect(await caught).toBeInstanceOf(StateMismatchError);
  });

  describe('in the same window', () => {
    // On the redirect URI's page: the documented answers carry no state, so only that page is sure to be Connect's.
    const land = (url: string) => history.replaceState(null, '', `/connect/callback${query(url)}`);

    it('resolves the stateless answer on the return route while this tab’s battery flow for that vehicle waits, once', async () => {
      const { connect } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
      await connect.redirect({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' });
      land(BATTERY_SUCCESS_URL);
      await expect(connect.handleRedirect()).resolves.toEqual({ flow: 'redirect', vehicleId: BATTERY_VEHICLE_ID, selectedCapacity: 80.9, reason: 'battery_capacity', state: 'soh' });
      expect(location.search).toBe('');
      land(BATTERY_SUCCESS_URL); // the same link again, on the next load: the flow was used
      expect(await rejection(connectWithLog({ clientId: REAUTH_CLIENT_ID }).connect.handleRedirect())).toBeInstanceOf(StateMismatchError);
    });

    it('never resolves a link to the return route with the documented answer as a success without such a flow', async () => {
      const { connect } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
      land(BATTERY_SUCCESS_URL); // no flow at all
      expect(await rejection(connect.handleRedirect())).toBeInstanceOf(StateMismatchError);
      await connect.redirect({ state: 'an ordinary connection' });
      land(BATTERY_SUCCESS_URL);
      expect(await rejection(connect.handleRedirect())).toBeInstanceOf(StateMismatchError);
      await connect.redirect({ batteryCapacity: BATTERY_CAPACITY_URL.replace(BATTERY_VEHICLE_ID, 'another-vehicle') });
      land(BATTERY_SUCCESS_URL);
      expect(await rejection(connect.handleRedirect())).toBeInstanceOf(StateMismatchError);
    });

    it('rejects the stateless no-selection answer with its error and the app’s state', async () => {
      const { connect } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
      await connect.redirect({ batteryCapacity: BATTERY_CAPACITY_URL, state: 'soh' });
      land(BATTERY_NO_SELECTION_URL);
      expect(await rejection(connect.handleRedirect())).toMatchObject({ name: 'BatteryCapacityNoSelectionError', vehicleId: BATTERY_VEHICLE_ID, state: 'soh' });
    });
  });
});

describe('reauthenticate and the API error’s resolution', () => {
  const rebuilt = (reauthenticate: unknown) => buildConnectUrl({ ...CLIENT, reauthenticate: reauthenticate as string, state: 's' });

  it('takes the resolution object itself, as it takes its url or the vehicle id', () => {
    const byId = rebuilt(REAUTH_VEHICLE_ID);
    expect(rebuilt(AUTHENTICATION_FAILED_ERROR.resolution)).toBe(byId);
    expect(rebuilt(AUTHENTICATION_FAILED_ERROR.resolution.url)).toBe(byId);
    expect(rebuilt(JSON.parse(JSON.stringify(AUTHENTICATION_FAILED_ERROR)).resolution)).toBe(byId); // from a JSON body
    expect(rebuilt(REAUTH_URL)).toBe(byId);
  });

  it('refuses an ACTION_REQUIRED resolution (Tesla’s virtual-key page) and says to follow it outside Connect', () => {
    expect(() => rebuilt(VIRTUAL_KEY_RESOLUTION)).toThrow(
      'smartcar-connect: reauthenticate must be a vehicle id, a re-authentication URL or a REAUTHENTICATE resolution with a url, ' +
        'not ACTION_REQUIRED; follow that resolution yourself, outside Connect',
    );
    for (const type of ['RETRY_LATER', 'CONTACT_SUPPORT', null]) expect(() => rebuilt({ type })).toThrow(`not ${String(type)}; follow that resolution yourself, outside Connect`);
  });

  it('refuses a REAUTHENTICATE resolution without a url (a PERMISSION error) and says to connect again with the scope needed', () => {
    expect(() => rebuilt(PERMISSION_RESOLUTION)).toThrow('one without a url asks for a new connection: popup() with the scope needed');
  });

  it('refuses Tesla’s permission-update URL, which never comes back, and points to the authorize form', async () => {
    expect(() => rebuilt(TESLA_PERMISSION_URL)).toThrow('a permission update never returns: use popup({ make }) with the new scope');
    const { open } = stubOpen();
    const { connect } = connectWithLog({ clientId: REAUTH_CLIENT_ID });
    expect(await rejection(connect.popup({ reauthenticate: TESLA_PERMISSION_URL }))).toBeInstanceOf(TypeError);
    expect(open).not.toHaveBeenCalled();
  });

  it('updates a Tesla’s permissions the documented way: an ordinary connection with make TESLA and the new scope, which returns a code', async () => {
    const { last } = stubOpen();
    const { connect } = connectWithLog({ clientId: REAUTH_CLIENT_ID, scope: ['read_odometer', 'control_security'] });
    const promise = connect.popup({ make: 'TESLA', state: 'tesla' });
    const sent = new URL(last().url);
    expect(sent.pathname).toBe('/oauth/authorize');
    expect([sent.searchParams.get('response_type'), sent.searchParams.get('make'), sent.searchParams.get('scope')]).toEqual(['code', 'TESLA', 'read_odometer control_security']);
    deliver(wire(callbackSearch({ code: 'c-tesla' }, sentState(last()))), ORIGIN, last());
    await expect(promise).resolves.toMatchObject({ code: 'c-tesla', state: 'tesla' });
  });

  it('still refuses a resolution that is not an object or a string', async () => {
    const { connect } = connectWithLog();
    for (const bad of [42, true, ['a']]) expect(await rejection(connect.popup({ reauthenticate: bad as never }))).toBeInstanceOf(TypeError);
  });
});

describe('flags and the flow’s state', () => {
  it('sends the docs’ flags: account_sync and country', () => {
    const url = new URL(buildConnectUrl({ ...CLIENT, flags: DOCS_FLAGS }));
    expect(url.searchParams.get('flags')).toBe('country:GB account_sync:true');
  });

  it('carries the app’s state on the VIN preflight’s ConfigurationError, in both flows', async () => {
    const vin = { vin: '0SCAUDI0155C49A95' };
    const { open } = stubOpen();
    const { connect } = connectWithLog({ mode: 'live' });
    const refusedPopup = await rejection<ConfigurationError>(connect.popup({ singleSelect: vin, state: 'user-42' }));
    const refusedRedirect = await rejection<ConfigurationError>(connect.redirect({ singleSelect: vin, state: 'user-42' }));
    for (const error of [refusedPopup, refusedRedirect]) expect(error).toMatchObject({ code: 'configuration_error', preflight: true, state: 'user-42' });
    expect(open).not.toHaveBeenCalled();
  });
});
