// What test/e2e/pages/driver.js and instrument.js define on the test app's window.
import type { Harness, Outcome } from './stack';

declare global {
  var harness: Harness;
  var outcomes: Outcome[];
  var events: [string, Record<string, unknown>][];
  var nextOptions: Record<string, unknown>;
  var ready: boolean | undefined;
  var NativeBroadcastChannel: typeof BroadcastChannel;
  function liveResources(): Record<string, number>;
  var detachButton: () => void;
  var lastPopup: Window | null;
  var loadOutcome: Outcome | undefined;
  var restored: true | undefined;
  var rememberedAtLoad: string | null;
  var blockNextPopup: boolean | undefined;
  var blockedUrl: string | undefined;
  var closeNextPopupAfter: number | undefined;
}
