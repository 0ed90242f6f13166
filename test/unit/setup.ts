import { afterEach, vi } from 'vitest';

// After every unit test: real timers, this tab's storage empty, the address bar back at '/'.
// (Spies and stubbed globals are put back by vitest itself: restoreMocks and unstubGlobals.)
afterEach(() => {
  vi.restoreAllMocks(); // at once, so a spy on Storage cannot stop the clearing below
  vi.useRealTimers();
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/');
});
