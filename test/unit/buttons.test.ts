import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PopupBlockedError } from '../../src/index';
import { callbackSearch, connectWithLog, deliver, ORIGIN, REDIRECT_URI, sentState, stubOpen, wire } from './harness';

/** Counts the listeners attach() adds and removes, per target and type. */
function countListeners() {
  const live = new Map<string, number>();
  const key = (target: EventTarget, type: string) => `${target === document ? 'document' : target === window ? 'window' : (target as Element).id}:${type}`;
  // The global addEventListener is bound to the window: count it on the window itself.
  // vitest's global listener methods are already bound to jsdom's window; keep them before spying.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { addEventListener: windowAdd, removeEventListener: windowRemove } = window;
  vi.spyOn(window, 'addEventListener').mockImplementation((type: string, fn: EventListenerOrEventListenerObject, o?: unknown) => {
    live.set(`window:${type}`, (live.get(`window:${type}`) ?? 0) + 1);
    windowAdd(type, fn, o as AddEventListenerOptions);
  });
  vi.spyOn(window, 'removeEventListener').mockImplementation((type: string, fn: EventListenerOrEventListenerObject, o?: unknown) => {
    live.set(`window:${type}`, (live.get(`window:${type}`) ?? 0) - 1);
    windowRemove(type, fn, o as EventListenerOptions);
  });
  // The originals, called with each element as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
  vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (this: EventTarget, type, fn, o) {
    live.set(key(this, type), (live.get(key(this, type)) ?? 0) + 1);
    add.call(this, type, fn, o);
  });
  vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (this: EventTarget, type, fn, o) {
    live.set(key(this, type), (live.get(key(this, type)) ?? 0) - 1);
    remove.call(this, type, fn, o);
  });
  return () => Object.fromEntries([...live].filter(([, n]) => n !== 0));
}

beforeEach(() => {
  document.body.innerHTML = `
    <button id="car" type="button">Connect your car</button>
    <a id="link" href="/fallback">Connect</a>
    <div id="tile" role="button" tabindex="0">Connect</div>
    <span id="other">not attached</span>`;
});
// Every attach() of a test is detached after it: a selector delegates from the document, which outlives tests.
const detaches: (() => void)[] = [];
afterEach(() => {
  detaches.splice(0).forEach((detach) => detach());
});

const byId = (id: string) => document.getElementById(id)!;
const click = (id: string) => byId(id).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
const key = (id: string, k: string) => byId(id).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

describe('connect.attach()', () => {
  it('starts a popup flow on click, marks the button busy until it settles, and reports through events', async () => {
    const { open, last } = stubOpen();
    const { connect, names } = connectWithLog();
    detaches.push(connect.attach('#car', { state: 'from-button' }));
    click('car');
    expect(open).toHaveBeenCalledOnce();
    expect(byId('car').getAttribute('aria-busy')).toBe('true');
    deliver(wire(callbackSearch({ code: 'c' }, sentState(last()))), ORIGIN, last());
    await vi.waitFor(() => expect(byId('car').hasAttribute('aria-busy')).toBe(false));
    expect(names()).toEqual(['open', 'success']);
  });

  it('does not start a second flow for a second click while one is pending: it focuses the popup', () => {
    const { open, last } = stubOpen();
    const { connect } = connectWithLog();
    detaches.push(connect.attach('#car'));
    click('car');
    click('car');
    expect(open).toHaveBeenCalledOnce();
    expect(last().focus).toHaveBeenCalledOnce();
  });

  it('prevents a link’s navigation and starts the flow', () => {
    const { open } = stubOpen();
    const { connect } = connectWithLog();
    detaches.push(connect.attach(byId('link')));
    expect(click('link')).toBe(false); // defaultPrevented
    expect(open).toHaveBeenCalledOnce();
  });

  it('starts on Enter or Space for an element that is not a button, and ignores other keys', () => {
    const { open } = stubOpen();
    const { connect } = connectWithLog();
    detaches.push(connect.attach([byId('tile')]));
    key('tile', 'a');
    expect(open).not.toHaveBeenCalled();
    expect(key('tile', 'Enter')).toBe(false);
    expect(open).toHaveBeenCalledOnce();
  });

  it('leaves Enter on a real button to the browser, which turns it into a click', () => {
    const { open } = stubOpen();
    const { connect } = connectWithLog();
    detaches.push(connect.attach('#car'));
    expect(key('car', 'Enter')).toBe(true);
    expect(open).not.toHaveBeenCalled();
  });

  it('matches a selector by delegation, so buttons rendered later work, and ignores other elements', () => {
    const { open } = stubOpen();
    const { connect } = connectWithLog();
    detaches.push(connect.attach('.connect'));
    click('other');
    expect(open).not.toHaveBeenCalled();
    document.body.insertAdjacentHTML('beforeend', '<button class="connect" id="late"><span id="inner">go</span></button>');
    click('inner');
    expect(open).toHaveBeenCalledOnce();
  });

  it('reports a blocked popup through the events and clears the busy mark', async () => {
    stubOpen({ blocked: true });
    const { connect, log } = connectWithLog();
    detaches.push(connect.attach('#car'));
    click('car');
    await vi.waitFor(() => expect(byId('car').hasAttribute('aria-busy')).toBe(false));
    expect(log.map(([n]) => n)).toEqual(['popup_blocked', 'error']);
    expect(log[0][1]).toBeInstanceOf(PopupBlockedError);
  });

  it('continues in the same window when the popup is blocked and fallback is redirect', async () => {
    stubOpen({ blocked: true });
    const real = window.location;
    const assign = vi.fn();
    vi.stubGlobal('location', { get href() { return real.href; }, get origin() { return real.origin; }, assign });
    const { connect, names } = connectWithLog();
    detaches.push(connect.attach('#car', { fallback: 'redirect', state: 's' }));
    click('car');
    await vi.waitFor(() => expect(assign).toHaveBeenCalledOnce());
    expect(names()).toEqual(['open']);
    expect(new URL(assign.mock.calls[0][0] as string).searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(byId('car').getAttribute('aria-busy')).toBe('true');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })); // back from the cache
    expect(byId('car').hasAttribute('aria-busy')).toBe(false);
  });

  it('starts the same-window flow with flow: redirect, once, however often it is clicked', async () => {
    const real = window.location;
    const assign = vi.fn();
    vi.stubGlobal('location', { get href() { return real.href; }, get origin() { return real.origin; }, assign });
    const { connect } = connectWithLog();
    detaches.push(connect.attach('#car', { flow: 'redirect' }));
    click('car');
    click('car');
    await vi.waitFor(() => expect(assign).toHaveBeenCalledOnce());
    expect(assign).toHaveBeenCalledOnce();
  });

  it.each([
    ['an invalid selector', '#car[', 'a valid CSS selector'],
    ['null', null, 'a selector or elements'],
    ['a number', 42, 'a selector or elements'],
    ['a list with a non-element', ['#car'], 'a selector or elements'],
  ])('throws a TypeError naming target for %s, adding nothing', (_, target, expected) => {
    const { connect } = connectWithLog();
    const live = countListeners();
    expect(() => connect.attach(target as unknown as string)).toThrow(`smartcar-connect: target must be ${expected}`);
    expect(live()).toEqual({});
  });

  it('throws a TypeError for an unknown flow', () => {
    const { connect } = connectWithLog();
    expect(() => connect.attach('#car', { flow: 'tab' as 'popup' })).toThrow("smartcar-connect: flow must be 'popup' or 'redirect'");
  });

  it('removes exactly what it added on detach', () => {
    stubOpen();
    const { connect } = connectWithLog();
    const live = countListeners();
    const detachSelector = connect.attach('#car');
    const detachList = connect.attach([byId('tile'), byId('link')]);
    expect(live()).toEqual({ 'document:click': 1, 'document:keydown': 1, 'tile:click': 1, 'tile:keydown': 1, 'link:click': 1, 'link:keydown': 1, 'window:pageshow': 2 });
    click('car');
    expect(byId('car').getAttribute('aria-busy')).toBe('true');
    detachSelector();
    detachList();
    expect(byId('car').hasAttribute('aria-busy')).toBe(false);
    // What the pending popup flow itself listens to is the flow's, not attach's, and goes when it settles.
    expect(Object.keys(live()).filter((k) => !/^window:(message|storage|beforeunload|pagehide|pageshow)$/.test(k))).toEqual([]);
    click('tile');
    connect.destroy();
  });
});
