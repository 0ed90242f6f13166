import { expect } from 'vitest';
import type { Outcome } from './stack';

/** What a page's flows emitted, in order: each event's name and payload. */
export type Events = [string, Record<string, unknown>][];

/**
 * In the page: true once a success event came and nothing of the client is left listening (no
 * message listener, no channel), so no second answer can still arrive. Waiting for this is waiting
 * for an event, not for a guessed delay. (Timers are not counted: a driver's own script timer, such
 * as WebKitWebDriver's, is alive while this runs.)
 */
export const answeredAndQuiet = (): boolean =>
  window.events.some(([name]) => name === 'success') && liveResources().message === 0 && liveResources().channels === 0;

/**
 * A popup cut off by Cross-Origin-Opener-Policy has two paths the design allows, and the machine's
 * speed picks one. Severed: the app glimpsed Connect's page just before the cut, so its promise
 * waits and resolves with the answer from the channel. Closed: it did not (or the cut came later),
 * so the promise rejects with popup_closed and the answer follows through the events, late.
 * Either way the answer reaches the app exactly once, with the app's state.
 */
export function expectAnswerOnceEitherWay(outcome: Outcome, events: Events, state: string): 'severed' | 'closed' {
  const names = events.map(([name]) => name);
  const successes = events.filter(([name]) => name === 'success');
  expect(successes).toHaveLength(1);
  if (outcome.ok) {
    expect(outcome.value).toMatchObject({ flow: 'popup', state });
    expect(names).toEqual(['open', 'success']);
    return 'severed';
  }
  expect(outcome.error).toMatchObject({ name: 'PopupClosedError', state });
  expect(names).toEqual(['open', 'popup_closed', 'error', 'success']);
  expect(successes[0][1]).toMatchObject({ flow: 'popup', state, late: true });
  return 'closed';
}
