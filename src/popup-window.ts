import type { PopupSize } from './options';

// The popup window as the app sees it: opened in the caller's task, centred on the app's window,
// read while it shows this origin, closed when its flow ends; and this window's own opener.

/**
 * Opens the popup in the caller's task (browsers block popups opened after an await), centred on the
 * app's window and kept inside the screen. Null when the browser refused, or closed it at once.
 */
export function openPopup(url: string, size: PopupSize = {}): Window | null {
  try {
    const s = screen as Screen & { availLeft?: number; availTop?: number };
    // A screen that reports no size (headless, jsdom) leaves the popup where the browser puts it.
    const roomX = s.availWidth || 1e4;
    const roomY = s.availHeight || 1e4;
    const width = Math.min(size.width || 500, roomX);
    const height = Math.min(size.height || 700, roomY);
    const place = (at: number, appSize: number, own: number, start = 0, room: number) =>
      Math.round(Math.min(Math.max(at + (appSize - own) / 2, start), start + room - own));
    const left = place(screenX, outerWidth, width, s.availLeft, roomX);
    const top = place(screenY, outerHeight, height, s.availTop, roomY);
    const win = open(url, '_blank', `popup,width=${width},height=${height},left=${left},top=${top}`);
    return win && !win.closed ? win : null;
  } catch {
    return null;
  }
}

/** What the app's blank page says while the options of a popup flow come. */
const OPENING_TEXT = 'Opening Smartcar Connect…';

/** The app's blank page in a popup opened before its flow's options came: it says Connect is opening. */
export function showOpening(win: Window): void {
  try {
    win.document.title = OPENING_TEXT;
    win.document.body.textContent = OPENING_TEXT;
  } catch {
    // a window this page cannot write to: it stays blank until Connect opens
  }
}

/**
 * Whether this page runs in a frame: there the same-window flow would send the frame itself to Connect,
 * and Connect's answer would come back into it.
 */
export function inFrame(): boolean {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}

/**
 * The popup's address while it shows this origin (`about:blank` before its first page); undefined on another origin.
 */
export function readHref(win: Window): string | undefined {
  try {
    return win.location.href;
  } catch {
    return undefined;
  }
}

/** Closes a window this page opened; one the browser no longer lets the app close is gone from its view anyway. */
export function closeWindow(win: Window | null | undefined): void {
  try {
    win?.close();
  } catch {
    // gone already
  }
}

/** Whether a message came from a window this one opened. */
export function openedHere(source: Window | null): boolean {
  try {
    return !!source && source.opener === window;
  } catch {
    return false;
  }
}

/**
 * Whether this page runs in a popup that a page of its own origin opened: the app as its own callback
 * page. There every popup flow's answer is the opener's to take, from this window's address bar.
 */
export function inOwnPopup(): boolean {
  try {
    const opener = window.opener as Window | null;
    return !!opener && opener !== window && opener.location.origin === location.origin;
  } catch {
    return false; // an opener of another origin
  }
}
