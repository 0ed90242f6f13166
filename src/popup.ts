import { CHANNEL, readMessage } from './protocol';
import type { ConnectResponse } from './response';
import { matchResponse, type Expected } from './state';

/** Popup size in CSS pixels; it is centred on the app's window and kept on screen. */
export interface PopupSize {
  width?: number;
  height?: number;
}

/** How often the popup's `closed` flag is read. */
export const POLL_MS = 200;
/** How long a closed popup's result may still be in flight. */
export const GRACE_MS = 400;
/** A popup seen on a foreign origin for less than this when it closed was severed, not closed. */
export const SEVER_MS = 500;

/**
 * Opens the popup in the caller's task (browsers block popups opened after
 * an await). Returns null when the browser refused.
 */
export function openPopup(url: string, size: PopupSize = {}): Window | null {
  const s = screen as Screen & { availLeft?: number; availTop?: number };
  // A screen that reports no size (headless, jsdom) leaves the popup where the browser puts it.
  const roomX = s.availWidth || 1e4;
  const roomY = s.availHeight || 1e4;
  const width = Math.min(size.width || 500, roomX);
  const height = Math.min(size.height || 700, roomY);
  // Centred on the app's window, then moved back inside the screen's available area.
  const place = (app: number, appSize: number, own: number, start = 0, room: number) =>
    Math.round(Math.min(Math.max(app + (appSize - own) / 2, start), start + room - own));
  const left = place(screenX, outerWidth, width, s.availLeft, roomX);
  const top = place(screenY, outerHeight, height, s.availTop, roomY);
  const win = open(url, '_blank', `popup,width=${width},height=${height},left=${left},top=${top}`);
  return win && !win.closed ? win : null;
}

export interface PopupWatch {
  win: Window;
  /** The popup is gone from the opener's view but may still be in front of the user. */
  severed: boolean;
  dispose: () => void;
}

/**
 * Watches an open popup until its flow settles: Connect's answer by
 * postMessage (from `answerOrigin` exactly, this popup as source, in our
 * message's shape or as a SmartcarAuthMessage) or by BroadcastChannel (with
 * our nonce), and the window closing. Anything else is ignored. `onClosed` fires once the popup is closed for good; a popup severed
 * by Cross-Origin-Opener-Policy keeps listening on the channel instead.
 */
export function watchPopup(
  win: Window,
  answerOrigin: string,
  expected: Expected,
  onResponse: (response: ConnectResponse) => void,
  onClosed: () => void,
): PopupWatch {
  const disposers: (() => void)[] = [];
  const receive = (search: string | undefined, trusted: boolean) => {
    const response = search === undefined ? undefined : matchResponse(search, expected, trusted);
    if (response) onResponse(response);
  };
  const onMessage = (e: MessageEvent) => {
    if (e.origin === answerOrigin && e.source === win) receive(readMessage(e.data), true);
  };
  addEventListener('message', onMessage);
  disposers.push(() => removeEventListener('message', onMessage));

  let channel: BroadcastChannel | undefined;
  if (typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e) => receive(readMessage(e.data), false);
    disposers.push(() => channel!.close());
  }

  const watch: PopupWatch = {
    win,
    severed: false,
    dispose: () => disposers.splice(0).forEach((d) => d()),
  };
  let foreignSince: number | undefined;
  const poll = setInterval(() => {
    if (!win.closed) {
      try {
        void win.location.href;
        foreignSince = undefined;
      } catch {
        foreignSince ??= Date.now();
      }
      return;
    }
    clearInterval(poll);
    const seenOpenElsewhere = foreignSince !== undefined && Date.now() - foreignSince >= SEVER_MS;
    const grace = setTimeout(() => {
      if (seenOpenElsewhere || !channel) onClosed();
      else watch.severed = true;
    }, GRACE_MS);
    disposers.push(() => clearTimeout(grace));
  }, POLL_MS);
  disposers.push(() => clearInterval(poll));
  return watch;
}
