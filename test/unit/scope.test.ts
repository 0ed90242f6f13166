import { describe, expect, it, vi } from 'vitest';
import { createScope } from '../../src/scope';

describe('a scope', () => {
  it('removes everything once when it ends, and what is added later at once', () => {
    vi.useFakeTimers();
    const scope = createScope();
    const target = new EventTarget();
    const heard = vi.fn();
    scope.on(target, 'ping', heard);
    const tick = vi.fn();
    scope.every(10, tick);
    const cancelled = vi.fn();
    scope.after(10, cancelled)();
    scope.end();
    target.dispatchEvent(new Event('ping'));
    vi.advanceTimersByTime(100);
    expect([heard, tick, cancelled].map((f) => f.mock.calls.length)).toEqual([0, 0, 0]);
    const late = vi.fn();
    scope.add(late);
    expect(late).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });
});
