import { describe, expect, it, vi } from 'vitest';
import { createCleanup } from '../../src/cleanup';

describe('a clean-up list', () => {
  it('removes everything once when it ends, and what is added later at once', () => {
    vi.useFakeTimers();
    const cleanup = createCleanup();
    const target = new EventTarget();
    const heard = vi.fn();
    cleanup._on(target, 'ping', heard);
    const tick = vi.fn();
    cleanup._every(10, tick);
    const cancelled = vi.fn();
    cleanup._after(10, cancelled)();
    cleanup._end();
    target.dispatchEvent(new Event('ping'));
    vi.advanceTimersByTime(100);
    expect([heard, tick, cancelled].map((f) => f.mock.calls.length)).toEqual([0, 0, 0]);
    const late = vi.fn();
    cleanup._add(late);
    expect(late).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });
});
