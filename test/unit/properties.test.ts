import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildConnectUrl, parseConnectResponse, type ConnectResponse } from '../../src/index';
import { CPU_BUDGET_MS, SEEDED } from './budget';

const RUNS = { ...SEEDED, numRuns: 3000 };

/** Text as apps and Connect produce it: any unicode, reserved URL characters, percent signs. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...Array.from('&=?#+% /\\:;,@!$\'"<>[]{}|^`~é漢🚗\u0000\n')), maxLength: 30 }),
);

/** Query-string pieces chosen to break parsers: bad escapes, repeats, prototype names, huge values. */
const nastyQuery = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('code', 'state', 'error', 'status_code', 'error_message', 'vehicle_id', 'year', '__proto__', 'constructor', 'toString', ''),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(
          fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '+', '=', '&&', '400', '9999999999999999999999', 'x'.repeat(100_000)),
          fc.string({ maxLength: 20 }),
        ),
      ),
      { maxLength: 12 },
    ),
    fc.constantFrom('&', '&&', ';'),
  )
  .map(([pairs, separator]) => pairs.map(([k, v]) => `${k}=${v}`).join(separator));

function isShape(response: ConnectResponse): boolean {
  return response.ok
    ? typeof response.result === 'object' && Object.values(response.result).every((v) => typeof v === 'string')
    : typeof response.error.code === 'string' && response.error.code.length > 0;
}

describe('parseConnectResponse, for any input', () => {
  it('never throws and always returns one of the two shapes for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => isShape(parseConnectResponse(input))),
      RUNS,
    );
  }, CPU_BUDGET_MS);

  it('never throws for malformed query strings, as text, ?query, URL and URLSearchParams', () => {
    fc.assert(
      fc.property(nastyQuery, (query) => {
        const inputs = [query, `?${query}`, `https://app.example/cb?${query}#h`, new URLSearchParams(query)];
        return inputs.every((input) => isShape(parseConnectResponse(input)));
      }),
      { ...SEEDED, numRuns: 1000 },
    );
  }, CPU_BUDGET_MS);

  it('never throws for arbitrary JavaScript values', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => isShape(parseConnectResponse(value as string))),
      RUNS,
    );
  }, CPU_BUDGET_MS);
});

describe('a parameter round-trips through buildConnectUrl, a Connect-style redirect and parseConnectResponse', () => {
  /** What Connect does: reads the authorize URL's query, redirects with its own encoding. */
  function connectRedirect(authorizeUrl: string, outcome: Record<string, string>): string {
    const sent = new URL(authorizeUrl).searchParams;
    const back = new URL(sent.get('redirect_uri') ?? '');
    for (const [name, value] of Object.entries(outcome)) back.searchParams.append(name, value);
    for (const name of ['state', 'external_id']) {
      const value = sent.get(name);
      if (value !== null) back.searchParams.append(name, value);
    }
    return back.href;
  }

  it('keeps state and externalId exactly on success', () => {
    fc.assert(
      fc.property(text, text, fc.stringMatching(/^[\w-]{1,40}$/), (state, externalId, code) => {
        const url = buildConnectUrl({ clientId: 'app', redirectUri: 'https://app.example/cb?keep=1', state, externalId });
        const response = parseConnectResponse(connectRedirect(url, { code }));
        expect(response).toEqual({ ok: true, result: { code, state, externalId } });
      }),
      RUNS,
    );
  }, CPU_BUDGET_MS);

  it('round-trips any success mix of code, user_id, vehicle_id and external_id', () => {
    const id = fc.stringMatching(/^[\w-]{1,40}$/);
    fc.assert(
      fc.property(
        fc.record({ code: id, user_id: id, vehicle_id: id }, { requiredKeys: [] }).filter((r) => Object.keys(r).length > 0),
        fc.option(text, { nil: undefined }),
        text,
        (answer, externalId, state) => {
          const url = buildConnectUrl({ clientId: 'app', redirectUri: 'https://app.example/cb?keep=1', state, externalId });
          const response = parseConnectResponse(connectRedirect(url, answer));
          const expected: Record<string, string> = { state };
          if (answer.code !== undefined) expected.code = answer.code;
          if (answer.user_id !== undefined) expected.userId = answer.user_id;
          if (answer.vehicle_id !== undefined) expected.vehicleId = answer.vehicle_id;
          if (externalId !== undefined) expected.externalId = externalId;
          expect(response).toEqual({ ok: true, result: expected });
        },
      ),
      RUNS,
    );
  }, CPU_BUDGET_MS);

  it('keeps the user’s error message, status code and state exactly on configuration_error', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 100, max: 599 }), (state, message, status) => {
        const url = buildConnectUrl({ clientId: 'app', redirectUri: 'https://app.example/cb', state });
        const response = parseConnectResponse(
          connectRedirect(url, { error: 'configuration_error', status_code: String(status), error_message: message }),
        );
        expect(response.ok).toBe(false);
        if (response.ok) return;
        if (response.error.code !== 'configuration_error') throw response.error;
        expect(response.error.statusCode).toBe(status);
        expect(response.error.errorMessage).toBe(message);
        expect(response.error.state).toBe(state);
      }),
      RUNS,
    );
  }, CPU_BUDGET_MS);

  it('sends every free-text option to Connect exactly', () => {
    fc.assert(
      fc.property(text, text, text, (make, user, state) => {
        const sent = new URL(buildConnectUrl({ clientId: 'app', redirectUri: 'https://app.example/cb', make, user, state })).searchParams;
        expect([sent.get('make'), sent.get('user'), sent.get('state')]).toEqual([make, user, state]);
      }),
      RUNS,
    );
  }, CPU_BUDGET_MS);
});
