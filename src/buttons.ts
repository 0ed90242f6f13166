import { createCleanup } from './cleanup';
import { badOption } from './options';

/** What `attach` may be given: a selector, an element, or a list of elements. */
export type AttachTarget = string | Element | Iterable<Element>;

/**
 * Where the listeners go: the document for a selector (checked now, so a bad one fails here and
 * not on a click), else the elements themselves. Anything else is a `TypeError` naming `target`.
 */
function targets(target: AttachTarget): EventTarget[] {
  if (typeof target === 'string') {
    try {
      document.querySelector(target);
    } catch {
      throw badOption('target', 'a valid CSS selector');
    }
    return [document];
  }
  const list = target && typeof (target as Iterable<Element>)[Symbol.iterator] === 'function' ? Array.from(target as Iterable<Element>) : [target];
  // Elements from another frame fail instanceof, so they are recognised by what attach needs of them.
  if (!list.every((e) => typeof (e as Element | null)?.setAttribute === 'function')) throw badOption('target', 'a selector or elements');
  return list as Element[];
}

// Buttons and links activate on Enter (and Space) by themselves; other elements need the keys handled.
const NATIVE = /^(BUTTON|A|INPUT|SUMMARY)$/;

/**
 * Starts a flow on click (and on Enter or Space for elements that are not
 * buttons or links). A selector is matched by delegation from the document,
 * so elements rendered later are covered too. While a flow it started is
 * pending, the element carries `aria-busy="true"`, and a further activation
 * calls `start` again only when `repeat` is set (a popup flow focuses its
 * window). Returns `detach`, which removes exactly what this call added.
 */
export function attachTo(target: AttachTarget, start: (element: Element) => Promise<unknown>, repeat: boolean): () => void {
  const busy = new Set<Element>();
  const elements = targets(target);

  const idle = (element: Element) => {
    busy.delete(element);
    element.removeAttribute('aria-busy');
  };
  const activate = (event: Event) => {
    const element = typeof target === 'string' ? (event.target as Element | null)?.closest?.(target) : (event.currentTarget as Element);
    if (!element) return;
    if (event.type === 'keydown') {
      const key = (event as KeyboardEvent).key;
      if ((key !== 'Enter' && key !== ' ') || NATIVE.test(element.tagName)) return;
    }
    event.preventDefault();
    if (busy.size && !repeat) return;
    busy.add(element);
    element.setAttribute('aria-busy', 'true');
    // Errors reach the app through the events; the promise is only watched to clear aria-busy.
    start(element).then(
      () => idle(element),
      () => idle(element),
    );
  };
  // A page restored from the back-forward cache after a same-window flow is no longer busy.
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) busy.forEach(idle);
  };

  const cleanup = createCleanup();
  for (const element of elements) {
    cleanup._on(element, 'click', activate);
    cleanup._on(element, 'keydown', activate);
  }
  cleanup._on(window, 'pageshow', onPageShow);
  return () => {
    cleanup._end();
    busy.forEach(idle);
  };
}
