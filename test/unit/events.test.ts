import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/index';
import { createEmitter } from '../../src/events';


describe('the typed emitter', () => {
  it('delivers each payload to every listener of that event, in order', () => {
    const emitter = createEmitter();
    const seen: string[] = [];
    emitter.on('open', (e) => seen.push(`a:${e.url}`));
    emitter.on('open', (e) => seen.push(`b:${e.flow}`));
    emitter.on('success', () => seen.push('wrong event'));
    emitter.emit('open', { flow: 'popup', url: 'https://c.example' });
    expect(seen).toEqual(['a:https://c.example', 'b:popup']);
  });

  it('returns an unsubscribe from on(), which removes only that listener', () => {
    const emitter = createEmitter();
    const first = vi.fn();
    const second = vi.fn();
    const off = emitter.on('configuration_error', first);
    emitter.on('configuration_error', second);
    off();
    off();
    const error = new ConfigurationError('x');
    emitter.emit('configuration_error', error);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith(error);
  });

  it('reports a throwing listener and still runs the others', () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const emitter = createEmitter();
    const boom = new Error('listener bug');
    const after = vi.fn();
    emitter.on('success', () => {
      throw boom;
    });
    emitter.on('success', after);
    expect(() => emitter.emit('success', { flow: 'popup', code: 'c' })).not.toThrow();
    expect(reported).toHaveBeenCalledExactlyOnceWith(boom);
    expect(after).toHaveBeenCalledOnce();
    vi.unstubAllGlobals();
  });

  it('falls back to console.error where reportError is missing', () => {
    vi.stubGlobal('reportError', undefined);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const emitter = createEmitter();
    emitter.on('open', () => {
      throw new Error('bug');
    });
    emitter.emit('open', { flow: 'popup', url: 'u' });
    expect(logged).toHaveBeenCalledOnce();
    vi.unstubAllGlobals();
  });

  it('throws a TypeError for an unknown event or a listener that is not a function', () => {
    const emitter = createEmitter();
    expect(() => emitter.on('configuration-error' as 'open', () => undefined)).toThrow("smartcar-connect: no event 'configuration-error' or no listener");
    expect(() => emitter.on('open', 'nope' as unknown as () => void)).toThrow(TypeError);
  });

  it('refuses a listener for an event that does not exist', () => {
    const emitter = createEmitter();
    expect(() => emitter.on('rate_limited' as 'open', () => undefined)).toThrow(TypeError);
    expect(() => emitter.on('user_cancelled', () => undefined)).not.toThrow();
  });

  it('forgets every listener on clear()', () => {
    const emitter = createEmitter();
    const listener = vi.fn();
    emitter.on('open', listener);
    emitter.clear();
    emitter.emit('open', { flow: 'popup', url: 'u' });
    expect(listener).not.toHaveBeenCalled();
  });
});
