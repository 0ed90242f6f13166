import { ConfigurationError } from './errors';
import { VIN_SHAPE } from './options';

/** Connect's own words on its Error page for a test-mode VIN in live mode. */
const TEST_VIN_MESSAGE = 'You have entered a test mode VIN. Please enter a VIN that belongs to a real vehicle.';
const CONFIGURATION_DESCRIPTION = 'There has been an error in the configuration of your application.';


/**
 * What can be refused before Connect opens: in live mode a single-select VIN
 * must be one a real vehicle can carry. ISO 3779 never uses I, O or Q, and no
 * assigned manufacturer code starts with 0; Smartcar's test-mode VINs break
 * both, and Connect answers them with `configuration_error`. Test and
 * simulated modes take any seventeen letters and digits.
 *
 * Returns the `ConfigurationError` Connect would have shown (with the flow's `state`), or nothing.
 */
export function preflight(mode: string | undefined, vin: string | undefined, state?: string): ConfigurationError | undefined {
  if (vin === undefined || (mode && mode !== 'live') || !VIN_SHAPE.test(vin)) return undefined;
  if (!/[IOQ]/i.test(vin) && vin[0] !== '0') return undefined;
  return new ConfigurationError(CONFIGURATION_DESCRIPTION, {
    statusCode: 400,
    errorMessage: TEST_VIN_MESSAGE,
    preflight: true,
    state,
  });
}
