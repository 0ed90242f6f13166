import { warnLoopbackAddress, warnOtherOrigin, warnUnknownCode } from './dev';
import { ERROR_CODES, type ConnectErrorCode } from './errors';
import { createEmitter } from './events';
import { readAppOptions, type ConnectOptions } from './options';
import { enlist } from './records';
import type { ConnectResponse, ConnectSuccess } from './response';

/**
 * What every client is, whichever entry made it: its options read once, its events, how a settled
 * answer is reported, and whether it was destroyed. The entries add their flows to it.
 */
export function createClient(options: ConnectOptions) {
  const app = readAppOptions(options);
  const emitter = createEmitter();
  let destroyed = false;
  warnOtherOrigin(app.redirectUri);
  warnLoopbackAddress(app.redirectUri);
  return {
    _app: app,
    _emitter: emitter,
    /** This client's id among the page loads of a tab: the owner of the flows it starts. Not a secret. */
    _owner: enlist(`${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`),
    /** Emits a settled response's events; returns the success, or throws the error. `late`: after its flow ended. */
    _emitOrThrow:
      (flow: ConnectSuccess['flow']) =>
      (response: ConnectResponse, late?: boolean): ConnectSuccess => {
        if (!response.ok) {
          const error = response.error;
          if (late) (error as { late?: true }).late = true;
          // Only the table's codes have events: a code spelled 'success', 'open' or 'error' emits error alone.
          if (ERROR_CODES.includes(error.code as ConnectErrorCode)) emitter.emit(error.code as ConnectErrorCode, error as never);
          else if (error.params) warnUnknownCode(error.code);
          emitter.emit('error', error);
          throw error;
        }
        const success: ConnectSuccess = { flow, ...response.result, ...(late && { late }) };
        emitter.emit('success', success);
        return success;
      },
    _opened: (flow: ConnectSuccess['flow']) => (url: string) => emitter.emit('open', { flow, url }),
    _destroyed: () => destroyed,
    /** Later flows reject with the cancellation; every listener goes. */
    _destroy() {
      destroyed = true;
      emitter.clear();
    },
  };
}
