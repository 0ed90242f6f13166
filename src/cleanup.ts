/**
 * What a flow has set up, each thing registered together with its removal, so that ending the
 * flow removes everything: no listener, timer or channel can be left behind by a forgotten step.
 */
export interface Cleanup {
  /** Adds a listener to `target`, removed at the end. Throws what `addEventListener` throws. */
  _on(target: EventTarget, type: string, listener: (event: never) => void): void;
  /** Calls `fn` every `ms` until the end or until the returned function stops it. */
  _every(ms: number, fn: () => void): () => void;
  /** Calls `fn` once after `ms`, unless the end comes first or the returned function cancels it. */
  _after(ms: number, fn: () => void): () => void;
  /** Runs `dispose` at the end. */
  _add(dispose: () => void): void;
  /** Removes everything, once; later additions are removed at once. */
  _end(): void;
}

export function createCleanup(): Cleanup {
  const disposers: (() => void)[] = [];
  let ended = false;
  const add = (dispose: () => void) => (ended ? dispose() : disposers.push(dispose));
  return {
    _add: add,
    _on(target, type, listener) {
      target.addEventListener(type, listener as EventListener);
      add(() => target.removeEventListener(type, listener as EventListener));
    },
    _every(ms, fn) {
      const id = setInterval(fn, ms);
      const stop = () => clearInterval(id);
      add(stop);
      return stop;
    },
    _after(ms, fn) {
      const id = setTimeout(fn, ms);
      const cancel = () => clearTimeout(id);
      add(cancel);
      return cancel;
    },
    _end() {
      ended = true;
      disposers.splice(0).forEach((dispose) => dispose());
    },
  };
}
