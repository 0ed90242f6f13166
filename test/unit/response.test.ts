import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  ConnectError,
  InvalidResponseError,
  isConnectError,
  parseConnectResponse,
  ServerError,
  VehicleIncompatibleError,
  type AnyConnectError,
  type IncompatibleVehicle,
} from '../../src/index';
import {
  CONFIGURATION_DESCRIPTION,
  CONFIGURATION_ERROR_URL,
  ERROR_CLASS_NAMES,
  ERROR_REDIRECTS,
  TEST_VIN_MESSAGE,
} from '../fixtures/connect';

/** Every error field, so one helper can read any class's fields without narrowing first. */
type AnyFields = AnyConnectError & { statusCode?: number; errorMessage?: string; preflight?: boolean; vehicle?: IncompatibleVehicle };

function errorOf(input: Parameters<typeof parseConnectResponse>[0]): AnyFields {
  const response = parseConnectResponse(input);
  if (response.ok) throw new Error(`expected an error, got ${JSON.stringify(response.result)}`);
  return response.error;
}

describe('parseConnectResponse with the docs’ configuration_error redirect', () => {
  it('gives a ConfigurationError with statusCode 400 as a number and the message the user saw', () => {
    const error = errorOf(CONFIGURATION_ERROR_URL);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.name).toBe('ConfigurationError');
    expect(error.code).toBe('configuration_error');
    expect(error.statusCode).toBe(400);
    expect(error.errorMessage).toBe(TEST_VIN_MESSAGE);
    expect(error.description).toBe(CONFIGURATION_DESCRIPTION);
    expect(error.message).toBe(CONFIGURATION_DESCRIPTION);
    expect(error.preflight).toBeUndefined();
    expect(error.state).toBeUndefined();
    expect(error.params).toEqual({
      error: 'configuration_error',
      error_description: CONFIGURATION_DESCRIPTION,
      status_code: '400',
      error_message: TEST_VIN_MESSAGE,
    });
  });

  it('reads the same redirect as ?query, bare query, URL, URLSearchParams and a Location-like object', () => {
    const query = CONFIGURATION_ERROR_URL.slice(CONFIGURATION_ERROR_URL.indexOf('?'));
    const inputs = [query, query.slice(1), new URL(CONFIGURATION_ERROR_URL), new URLSearchParams(query), { search: query } as URL];
    for (const input of inputs) {
      const error = errorOf(input);
      expect(error.code).toBe('configuration_error');
      expect(error.statusCode).toBe(400);
      expect(error.errorMessage).toBe(TEST_VIN_MESSAGE);
    }
  });

  it('keeps the state that came with it', () => {
    expect(errorOf(`${CONFIGURATION_ERROR_URL}&state=abc`).state).toBe('abc');
  });

  it.each([
    ['4OO', undefined],
    ['99', undefined],
    ['600', undefined],
    ['-400', undefined],
    ['400.0', undefined],
    [' 400', undefined],
    ['', undefined],
    ['100', 100],
    ['599', 599],
    ['0400', 400],
  ])('reads status_code=%j as %j and keeps the raw value in params', (raw, expected) => {
    const error = errorOf(`?error=configuration_error&status_code=${encodeURIComponent(raw)}&error_message=x`);
    expect(error.statusCode).toBe(expected);
    expect(error.params?.status_code).toBe(raw);
  });

  it('keeps an error_message with markup, unicode and percent signs exactly', () => {
    const text = '<b>VIN</b> “ungültig” & 100% 🚗';
    const error = errorOf(`?error=configuration_error&status_code=422&error_message=${encodeURIComponent(text)}`);
    expect(error.errorMessage).toBe(text);
    expect(error.statusCode).toBe(422);
  });

  it('gives a ConfigurationError without status fields when Connect leaves them out', () => {
    const error = errorOf('?error=configuration_error');
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.statusCode).toBeUndefined();
    expect(error.errorMessage).toBeUndefined();
    expect(error.description).toBe('configuration_error');
    expect(Object.keys(error)).not.toContain('statusCode');
  });
});

describe('parseConnectResponse with every other error of the table', () => {
  it.each(Object.entries(ERROR_REDIRECTS))('gives %s its own class, description and state', (code, query) => {
    const error = errorOf(`https://example.com/callback?${query}`);
    expect(error.code).toBe(code);
    expect(error.name).toBe(ERROR_CLASS_NAMES[code as keyof typeof ERROR_CLASS_NAMES]);
    expect(error.description).toBe(new URLSearchParams(query).get('error_description'));
    expect(error.state).toBe('0facda3319');
    expect(isConnectError(error)).toBe(true);
    expect(error).toBeInstanceOf(ConnectError);
  });

  it('gives vehicle_incompatible the vehicle, with the year as a number', () => {
    const error = errorOf(ERROR_REDIRECTS.vehicle_incompatible);
    expect(error).toBeInstanceOf(VehicleIncompatibleError);
    expect(error.vehicle).toEqual({ vin: '0SCAUDI012FE3B132', make: 'AUDI', model: 'A4', year: 2019 });
  });

  it('leaves out vehicle fields the user did not share, and a year that is not a number', () => {
    expect(errorOf('?error=vehicle_incompatible&make=TESLA&year=soon').vehicle).toEqual({ make: 'TESLA' });
    expect(errorOf('?error=vehicle_incompatible').vehicle).toBeUndefined();
  });

  it('gives server_error its status code and message when present', () => {
    const error = errorOf(ERROR_REDIRECTS.server_error);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.statusCode).toBe(500);
    expect(error.errorMessage).toBe('Something went wrong.');
  });

  it('keeps an unknown code as a plain ConnectError with the raw code', () => {
    const error = errorOf('?error=rate_limited_by_oem&error_description=Try%20later&state=s1');
    expect(error.constructor).toBe(ConnectError);
    expect(error.name).toBe('ConnectError');
    expect(error.code).toBe('rate_limited_by_oem');
    expect(error.description).toBe('Try later');
    expect(error.state).toBe('s1');
  });

  it('prefers the error when a redirect carries both error and code', () => {
    expect(errorOf('?code=abc&error=access_denied').code).toBe('access_denied');
  });
});

describe('parseConnectResponse on success', () => {
  it('returns the code and state', () => {
    expect(parseConnectResponse('https://example.com/callback?code=90abecb6-e7ab-4b85-864a-e1c8bf67f2ad&state=0facda3319')).toEqual({
      ok: true,
      result: { code: '90abecb6-e7ab-4b85-864a-e1c8bf67f2ad', state: '0facda3319' },
    });
  });

  it('returns every success field in camelCase, and nothing else', () => {
    const query =
      'code=c1&state=s&user_id=u-1&virtual_key_url=https%3A%2F%2Fwww.tesla.com%2F_ak%2Fsmartcar.com&external_id=ext%201&other=x';
    expect(parseConnectResponse(query)).toEqual({
      ok: true,
      result: { code: 'c1', state: 's', userId: 'u-1', virtualKeyUrl: 'https://www.tesla.com/_ak/smartcar.com', externalId: 'ext 1' },
    });
  });

  it('accepts vehicle_id instead of code (re-authentication)', () => {
    expect(parseConnectResponse('?vehicle_id=v-9&state=s')).toEqual({ ok: true, result: { vehicleId: 'v-9', state: 's' } });
  });

  it('ignores the fragment and takes the first of repeated names', () => {
    expect(parseConnectResponse('https://a.example/cb?code=first&code=second&state=s#code=frag')).toEqual({
      ok: true,
      result: { code: 'first', state: 's' },
    });
  });
});

describe('parseConnectResponse on what is not a Connect response', () => {
  it.each([
    ['a URL without a query', 'https://example.com/callback'],
    ['an empty string', ''],
    ['unrelated parameters', '?foo=bar&state=s'],
    ['an empty code', '?code=&state=s'],
    ['an empty error', '?error=&state=s'],
  ])('gives InvalidResponseError for %s', (_, input) => {
    const error = errorOf(input);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.code).toBe('invalid_response');
  });

  it.each([null, undefined, 42, true, Symbol('x'), () => 1])('never throws for %s', (input) => {
    expect(errorOf(input as unknown as string).code).toBe('invalid_response');
  });

  it('never throws for an object whose getters throw, and keeps the cause', () => {
    const hostile = {
      get search(): string {
        throw new Error('boom');
      },
    };
    const error = errorOf(hostile as unknown as URL);
    expect(error.code).toBe('invalid_response');
    expect((error.cause as Error).message).toBe('boom');
  });

  it('keeps __proto__ and constructor as plain parameters without touching prototypes', () => {
    const error = errorOf('?__proto__=polluted&constructor=x&error=access_denied');
    expect(error.params?.__proto__).toBe('polluted');
    expect(Object.getPrototypeOf(error.params)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
