import { afterEach, beforeEach, vi } from 'vitest';

// The SDK's development warnings are on here (NODE_ENV is 'test'); tests that check them spy on
// console.warn themselves. Any other warning (React's, Vue's) still shows.
const warn = console.warn.bind(console);
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith('smartcar-connect:')) warn(...args);
  });
});

// After every unit test: real timers, this tab's storage empty, the address bar back at '/'.
// (Spies and stubbed globals are put back by vitest itself: restoreMocks and unstubGlobals.)
afterEach(() => {
  vi.restoreAllMocks(); // at once, so a spy on Storage cannot stop the clearing below
  vi.useRealTimers();
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/');
});
