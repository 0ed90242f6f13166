import { describe, expect, it } from 'vitest';
import { buildConnectUrl, ConfigurationError, type ConnectUrlOptions } from '../../src/index';
import { TEST_MODE_VINS } from '../fixtures/connect';

const base = { clientId: 'app-id', redirectUri: 'https://app.example/connect/callback' };
const query = (options: ConnectUrlOptions) => new URL(buildConnectUrl(options)).searchParams;

describe('buildConnectUrl', () => {
  it('builds the minimal authorize URL, in a fixed order, on Connect’s origin', () => {
    expect(buildConnectUrl(base)).toBe(
      'https://connect.smartcar.com/oauth/authorize?response_type=code&client_id=app-id' +
        '&redirect_uri=https%3A%2F%2Fapp.example%2Fconnect%2Fcallback&mode=live',
    );
  });

  it('sends every option under Connect’s parameter name', () => {
    const url = buildConnectUrl({
      ...base,
      scope: ['read_vehicle_info', 'required:read_odometer'],
      mode: 'test',
      state: 'user-42',
      forcePrompt: true,
      make: 'TESLA',
      singleSelect: { vin: '0SCAUDI0155C49A95' },
      flags: { country: 'DE', tesla_auth: true, limit: 3 },
      user: 'owner-7',
      externalId: 'fleet/9',
    });
    expect(url).toBe(
      'https://connect.smartcar.com/oauth/authorize?response_type=code&client_id=app-id' +
        '&redirect_uri=https%3A%2F%2Fapp.example%2Fconnect%2Fcallback' +
        '&scope=read_vehicle_info%20required%3Aread_odometer&state=user-42&mode=test&approval_prompt=force' +
        '&make=TESLA&single_select=true&single_select_vin=0SCAUDI0155C49A95' +
        '&flags=country%3ADE%20tesla_auth%3Atrue%20limit%3A3&user=owner-7&external_id=fleet%2F9',
    );
  });

  it('sends single_select=true alone for singleSelect: true, and nothing for false', () => {
    expect(query({ ...base, singleSelect: true }).get('single_select')).toBe('true');
    expect(query({ ...base, singleSelect: true }).has('single_select_vin')).toBe(false);
    expect(query({ ...base, singleSelect: false }).has('single_select')).toBe(false);
  });

  it('encodes spaces as %20 and every reserved character of state', () => {
    const state = 'a b&c=d?e#f+g%h/é🚗';
    const url = buildConnectUrl({ ...base, state });
    expect(url).toContain('&state=a%20b%26c%3Dd%3Fe%23f%2Bg%25h%2F%C3%A9%F0%9F%9A%97&');
    expect(new URL(url).searchParams.get('state')).toBe(state);
  });

  it('accepts applicationId as the older name of clientId', () => {
    expect(query({ applicationId: 'legacy-id', redirectUri: base.redirectUri }).get('client_id')).toBe('legacy-id');
  });

  it('uses connectOrigin when given', () => {
    expect(buildConnectUrl({ ...base, connectOrigin: 'http://localhost:4000' })).toMatch(/^http:\/\/localhost:4000\/oauth\/authorize\?/);
    expect(buildConnectUrl({ ...base, connectOrigin: 'https://connect.example/' })).toMatch(/^https:\/\/connect\.example\/oauth\/authorize\?/);
  });

  it('accepts http redirect URIs on loopback hosts', () => {
    for (const redirectUri of ['http://localhost:3000/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb']) {
      expect(query({ ...base, redirectUri }).get('redirect_uri')).toBe(redirectUri);
    }
  });

  it('omits redirect_uri and sends app_origin for responseType none', () => {
    const q = query({ clientId: 'app-id', responseType: 'none', appOrigin: 'https://app.example' });
    expect(q.get('response_type')).toBe('none');
    expect(q.has('redirect_uri')).toBe(false);
    expect(q.get('app_origin')).toBe('https://app.example');
  });

  it('omits scope when it is empty', () => {
    expect(query({ ...base, scope: [] }).has('scope')).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['clientId', { clientId: '' }],
    ['clientId', { clientId: '   ' }],
    ['clientId', { clientId: 42 }],
    ['clientId', { clientId: undefined }],
    ['redirectUri', { redirectUri: 'http://app.example/cb' }],
    ['redirectUri', { redirectUri: '/connect/callback' }],
    ['redirectUri', { redirectUri: 'javascript:alert(1)' }],
    ['redirectUri', { redirectUri: 'https://app.example/cb#frag' }],
    ['redirectUri', { redirectUri: 'not a url' }],
    ['redirectUri', { redirectUri: undefined }],
    ['mode', { mode: 'production' }],
    ['scope', { scope: ['read_odometer', ''] }],
    ['scope', { scope: ['read odometer'] }],
    ['scope', { scope: 'read_odometer' }],
    ['responseType', { responseType: 'token' }],
    ['connectOrigin', { connectOrigin: 'http://connect.example' }],
    ['connectOrigin', { connectOrigin: 'https://connect.example/oauth' }],
    ['state', { state: 42 }],
    ['state', { state: 'lone \uD800 surrogate' }],
    ['make', { make: ['TESLA'] }],
    ['user', { user: 1 }],
    ['externalId', { externalId: {} }],
    ['forcePrompt', { forcePrompt: 'yes' }],
    ['singleSelect', { singleSelect: { vin: '1HGCM82633A00435' } }],
    ['singleSelect', { singleSelect: { vin: '1HGCM82633A00435!' } }],
    ['singleSelect', { singleSelect: { vin: 42 } }],
    ['singleSelect', { singleSelect: 'true' }],
    ['flags', { flags: { country: 'D E' } }],
    ['flags', { flags: { 'a:b': 'x' } }],
    ['flags', { flags: 'country:DE' }],
  ])('throws a TypeError naming %s for %j', (option, patch) => {
    const call = () => buildConnectUrl({ ...base, ...patch });
    expect(call).toThrow(TypeError);
    expect(call).toThrow(new RegExp(`^smartcar-connect: ${option} must be `));
  });

  it('throws a TypeError naming options when they are not an object', () => {
    expect(() => buildConnectUrl(null as unknown as ConnectUrlOptions)).toThrow('smartcar-connect: options must be an object');
  });

  it.each(TEST_MODE_VINS)('refuses test-mode VIN %s in live mode with a TypeError caused by the ConfigurationError', (vin) => {
    let thrown: unknown;
    try {
      buildConnectUrl({ ...base, singleSelect: { vin } });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toBe("smartcar-connect: singleSelect.vin must be a real vehicle's VIN in live mode");
    const cause = (thrown as Error).cause as ConfigurationError;
    expect(cause).toBeInstanceOf(ConfigurationError);
    expect(cause.statusCode).toBe(400);
    expect(cause.preflight).toBe(true);
  });

  it.each(['test', 'simulated'] as const)('accepts test-mode VINs in %s mode', (mode) => {
    expect(query({ ...base, mode, singleSelect: { vin: TEST_MODE_VINS[0] } }).get('single_select_vin')).toBe(TEST_MODE_VINS[0]);
  });
});
