import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/index';
import { preflight } from '../../src/preflight';
import { CONFIGURATION_DESCRIPTION, REAL_VINS, TEST_MODE_VINS, TEST_VIN_MESSAGE } from '../fixtures/connect';

describe('preflight of a single-select VIN', () => {
  it.each(TEST_MODE_VINS)('refuses Smartcar test-mode VIN %s in live mode as Connect would', (vin) => {
    for (const mode of [undefined, 'live']) {
      const error = preflight(mode, vin);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error?.code).toBe('configuration_error');
      expect(error?.statusCode).toBe(400);
      expect(error?.errorMessage).toBe(TEST_VIN_MESSAGE);
      expect(error?.description).toBe(CONFIGURATION_DESCRIPTION);
      expect(error?.preflight).toBe(true);
    }
  });

  it.each(REAL_VINS)('lets real VIN %s through in every mode', (vin) => {
    for (const mode of ['live', 'test', 'simulated']) expect(preflight(mode, vin)).toBeUndefined();
  });

  it.each(TEST_MODE_VINS)('lets test-mode VIN %s through in test and simulated modes', (vin) => {
    expect(preflight('test', vin)).toBeUndefined();
    expect(preflight('simulated', vin)).toBeUndefined();
  });

  it.each([
    ['I, which ISO 3779 never uses', '1HGCM82633I004352'],
    ['O', '1HGCM82633O004352'],
    ['Q', '1HGCQ82633A004352'],
    ['lowercase i', '1hgcm82633i004352'],
    ['a leading 0', '0HGCM82633A004352'],
  ])('refuses a live VIN with %s', (_, vin) => {
    expect(preflight('live', vin)?.statusCode).toBe(400);
  });

  it.each(['', '1HGCM82633A00435', '1HGCM82633A0043521', '1HGCM82633A00435-'])('leaves malformed VIN %j to option checks', (vin) => {
    expect(preflight('live', vin)).toBeUndefined();
  });

  it('has nothing to refuse without a VIN', () => {
    expect(preflight('live', undefined)).toBeUndefined();
  });
});
