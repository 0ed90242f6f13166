import { describe, expectTypeOf, it } from 'vitest';
import {
  BatteryCapacityNoSelectionError,
  ConfigurationError,
  OemCancelledLoginError,
  createConnect,
  VehicleIncompatibleError,
  isConnectError,
  parseConnectResponse,
  popupUnavailable,
  type AccessDeniedError,
  type ApiErrorResolution,
  type AnyConnectError,
  type ConnectSuccess,
  type IncompatibleVehicle,
  type PopupClosedError,
  type UserCancelledError,
} from '../../src/index';

const connect = createConnect({ clientId: 'a', redirectUri: 'https://app.example/cb' });

describe('event payloads are typed by name', () => {
  it('types each event’s listener argument', () => {
    connect.on('configuration_error', (e) => {
      expectTypeOf(e).toEqualTypeOf<ConfigurationError>();
      expectTypeOf(e.statusCode).toEqualTypeOf<number | undefined>();
      expectTypeOf(e.errorMessage).toEqualTypeOf<string | undefined>();
      expectTypeOf(e.name).toEqualTypeOf<'ConfigurationError'>();
      expectTypeOf(e.code).toEqualTypeOf<'configuration_error'>();
    });
    connect.on('vehicle_incompatible', (e) => expectTypeOf(e.vehicle).toEqualTypeOf<IncompatibleVehicle | undefined>());
    connect.on('popup_closed', (e) => expectTypeOf(e).toEqualTypeOf<PopupClosedError>());
    connect.on('user_cancelled', (e) => expectTypeOf(e.name).toEqualTypeOf<UserCancelledError['name']>());
    connect.on('success', (s) => expectTypeOf(s).toEqualTypeOf<ConnectSuccess>());
    connect.on('open', (o) => expectTypeOf(o).toEqualTypeOf<{ flow: 'popup' | 'redirect'; url: string }>());
    connect.on('error', (e) => expectTypeOf(e).toEqualTypeOf<AnyConnectError>());
  });

  it('takes reauthenticate and a null externalId per flow, and a success may carry no code', () => {
    void connect.popup({ reauthenticate: 'sc4a1b01e5-0497-417c-a30e-6df6ba33ba46', externalId: null });
    expectTypeOf<ConnectSuccess['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConnectSuccess['userId']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error: reauthenticate is a vehicle id, a URL, or the API error's resolution
    void connect.popup({ reauthenticate: 42 });
  });

  it('takes the API error’s resolution as it comes, and the battery-capacity url', async () => {
    const apiError = { code: 'AUTHENTICATION_FAILED', resolution: { type: 'REAUTHENTICATE', url: 'https://connect.smartcar.com/oauth/reauthenticate?vehicle_id=v' } } as const;
    void connect.popup({ reauthenticate: apiError.resolution });
    const fromJson = { type: 'ACTION_REQUIRED', url: null } satisfies ApiErrorResolution;
    void connect.redirect({ reauthenticate: fromJson });
    const { vehicleId, selectedCapacity, reason } = await connect.popup({ batteryCapacity: 'https://connect.smartcar.com/battery-capacity?vehicle_id=v' });
    expectTypeOf(vehicleId).toEqualTypeOf<string | undefined>();
    expectTypeOf(selectedCapacity).toEqualTypeOf<number | undefined>();
    expectTypeOf(reason).toEqualTypeOf<string | undefined>();
    // @ts-expect-error: a resolution has a type
    void connect.popup({ reauthenticate: { url: 'https://connect.smartcar.com/oauth/reauthenticate' } });
    // @ts-expect-error: batteryCapacity is the url, as text
    void connect.popup({ batteryCapacity: new URL('https://connect.smartcar.com/battery-capacity') });
  });

  it('returns an unsubscribe function from on()', () => {
    expectTypeOf(connect.on('open', () => undefined)).toEqualTypeOf<() => void>();
  });

  it('refuses event names that do not exist and listeners of the wrong payload', () => {
    // @ts-expect-error: the event is configuration_error, with an underscore
    connect.on('configuration-error', () => undefined);
    // @ts-expect-error: not an event
    connect.on('close', () => undefined);
    // @ts-expect-error: access_denied carries no statusCode
    connect.on('access_denied', (e: ConfigurationError) => e.statusCode);
  });
});

describe('code is the discriminant', () => {
  it('narrows the fields of each case in a switch', () => {
    const e = {} as AnyConnectError;
    switch (e.code) {
      case 'configuration_error':
        expectTypeOf(e.statusCode).toEqualTypeOf<number | undefined>();
        expectTypeOf(e.errorMessage).toEqualTypeOf<string | undefined>();
        expectTypeOf(e.preflight).toEqualTypeOf<boolean | undefined>();
        break;
      case 'vehicle_incompatible':
        expectTypeOf(e.vehicle).toEqualTypeOf<IncompatibleVehicle | undefined>();
        break;
      case 'battery_capacity_no_selection':
        expectTypeOf(e.vehicleId).toEqualTypeOf<string | undefined>();
        break;
      case 'oem_cancelled_login':
        // @ts-expect-error: only battery_capacity_no_selection names a vehicle
        expectTypeOf(e.vehicleId).toEqualTypeOf<string>();
        break;
      case 'access_denied':
        // @ts-expect-error: only configuration_error and server_error carry a status
        expectTypeOf(e.statusCode).toEqualTypeOf<number>();
        break;
      default:
        expectTypeOf(e.code).toEqualTypeOf<string>();
        expectTypeOf(e.description).toEqualTypeOf<string>();
    }
  });

  it('narrows the new classes with instanceof', () => {
    const caught: unknown = null;
    if (caught instanceof BatteryCapacityNoSelectionError) {
      expectTypeOf(caught.vehicleId).toEqualTypeOf<string | undefined>();
      expectTypeOf(caught.name).toEqualTypeOf<'BatteryCapacityNoSelectionError'>();
    }
    if (caught instanceof OemCancelledLoginError) expectTypeOf(caught.code).toEqualTypeOf<'oem_cancelled_login'>();
  });

  it('narrows to the exact class with instanceof', () => {
    const caught: unknown = null;
    if (caught instanceof ConfigurationError) expectTypeOf(caught).toEqualTypeOf<ConfigurationError>();
    if (caught instanceof VehicleIncompatibleError) expectTypeOf(caught.vehicle).toEqualTypeOf<IncompatibleVehicle | undefined>();
  });

  it('narrows unknown values with isConnectError', () => {
    const caught: unknown = null;
    if (isConnectError(caught)) expectTypeOf(caught).toEqualTypeOf<AnyConnectError>();
  });

  it('narrows a parsed response by ok', () => {
    const r = parseConnectResponse('?code=c');
    if (r.ok) expectTypeOf(r.result.code).toEqualTypeOf<string | undefined>();
    else expectTypeOf(r.error).toEqualTypeOf<AnyConnectError>();
  });
});

describe('options are typed', () => {
  it('returns a promise of ConnectSuccess from popup()', () => {
    expectTypeOf(connect.popup()).toEqualTypeOf<Promise<ConnectSuccess>>();
  });

  it('refuses wrong option types', () => {
    // @ts-expect-error: mode is live, test or simulated
    createConnect({ clientId: 'a', redirectUri: 'https://x', mode: 'production' });
    // @ts-expect-error: scope is a list
    createConnect({ clientId: 'a', redirectUri: 'https://x', scope: 'read_vin' });
    // @ts-expect-error: singleSelect takes { vin }
    void connect.popup({ singleSelect: '1HGCM82633A004352' });
    // @ts-expect-error: access_denied has no fields beyond the base
    ({}) as AccessDeniedError satisfies { statusCode: number };
  });
});

describe('options that come after an await', () => {
  it('takes a promise of popup() options, and a function of them in attach()', () => {
    expectTypeOf(connect.popup(Promise.resolve({ state: 's' }))).toEqualTypeOf<Promise<ConnectSuccess>>();
    expectTypeOf(connect.popup(Promise.resolve(undefined))).toEqualTypeOf<Promise<ConnectSuccess>>();
    expectTypeOf(connect.attach('#car', () => Promise.resolve({ reauthenticate: 'sc4a1b01e5' }))).toEqualTypeOf<() => void>();
    expectTypeOf(connect.attach('#car', () => ({ state: 's' }))).toEqualTypeOf<() => void>();
    // @ts-expect-error a promise of something that is not options
    void connect.popup(Promise.resolve(42));
    // @ts-expect-error attach()'s flow is the popup one when its options come from a function
    connect.attach('#car', () => ({ flow: 'redirect' }));
  });

  it('says why a popup cannot come back, or null', () => {
    expectTypeOf(popupUnavailable()).toEqualTypeOf<string | null>();
  });
});

describe('the drop-in takes onComplete as apps already type it', () => {
  it('accepts a callback typed with optional strings and one typed with null', async () => {
    const { default: Smartcar } = await import('../../src/compat');
    new Smartcar({ onComplete: (_err: Error | null, code?: string, state?: string) => void [code, state] });
    new Smartcar({ onComplete: (_err: Error | null, code?: string | null, _state?: string, _key?: string | null, userId?: string | null) => void [code, userId] });
    // @ts-expect-error the first argument is an error or null, never a code
    new Smartcar({ onComplete: (code: string) => void code });
  });
});
