import { warnLoopbackAddress, warnOtherOrigin, warnUnknownCode } from './dev';
import { ERROR_CODES, type ConnectErrorCode } from './errors';
import { createEmitter } from './events';
import { readAppOptions, type App, type ConnectOptions } from './options';
import { enlist } from './records';
import type { ConnectResponse, ConnectSuccess } from './response';

/** What a client gives each kind of flow: its options, its owner id, how the flow reports, and whether the client is gone. */
export interface FlowHost {
  _app: App;
  /** This client's id among the page loads of a tab: the owner of the flows it remembers. Not a secret. */
  _owner: string;
  /** Emits a settled response's events; returns the success, or throws the error. `late`: after its flow ended. */
  _emitOrThrow: (response: ConnectResponse, late?: boolean) => ConnectSuccess;
  /** Emits `open` with Connect's URL. */
  _opened: (url: string) => void;
  _destroyed: () => boolean;
}

/**
 * What every client is, whichever entry made it: its options read once, its events, what it gives its
 * flows, and whether it was destroyed. The entries add their flows to it.
 */
export function createClient(options: ConnectOptions) {
  const app = readAppOptions(options);
  const emitter = createEmitter();
  const owner = enlist(`${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`);
  let destroyed = false;
  const isDestroyed = () => destroyed;
  warnOtherOrigin(app.redirectUri);
  warnLoopbackAddress(app.redirectUri);
  return {
    _app: app,
    _emitter: emitter,
    /** What this client gives its flows of one kind (`popup` or `redirect`, as their successes say). */
    _host: (flow: ConnectSuccess['flow']): FlowHost => ({
      _app: app,
      _owner: owner,
      _emitOrThrow(response, late) {
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
      _opened: (url) => emitter.emit('open', { flow, url }),
      _destroyed: isDestroyed,
    }),
    _destroyed: isDestroyed,
    /** Later flows reject with the cancellation; every listener goes. */
    _destroy() {
      destroyed = true;
      emitter.clear();
    },
  };
}
