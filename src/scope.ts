/**
 * What a flow has set up, each thing registered together with its removal, so that ending the
 * flow removes everything: no listener, timer or channel can be left behind by a forgotten step.
 */
export interface Scope {
  /** Adds a listener to `target`, removed when the scope ends. Throws what `addEventListener` throws. */
  on(target: EventTarget, type: string, listener: (event: never) => void): void;
  /** Calls `fn` every `ms` until the scope ends or the returned function stops it. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` once after `ms`, unless the scope ends first or the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
  /** Runs `dispose` when the scope ends. */
  add(dispose: () => void): void;
  /** Removes everything, once; later additions are removed at once. */
  end(): void;
}

export function createScope(): Scope {
  const disposers: (() => void)[] = [];
  let ended = false;
  const add = (dispose: () => void) => (ended ? dispose() : disposers.push(dispose));
  return {
    add,
    on(target, type, listener) {
      target.addEventListener(type, listener as EventListener);
      add(() => target.removeEventListener(type, listener as EventListener));
    },
    every(ms, fn) {
      const id = setInterval(fn, ms);
      const stop = () => clearInterval(id);
      add(stop);
      return stop;
    },
    after(ms, fn) {
      const id = setTimeout(fn, ms);
      const cancel = () => clearTimeout(id);
      add(cancel);
      return cancel;
    },
    end() {
      ended = true;
      disposers.splice(0).forEach((dispose) => dispose());
    },
  };
}
