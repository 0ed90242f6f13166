import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConnect, type ConnectOptions, type ConnectSuccess } from '../../src/index';
import { useConnect, type UseConnectSettings } from '../../src/react';
import { simulateConnect, type SimulatedConnect } from '../../src/testing/index';
import { GRACE_MS, POLL_MS, SEVER_MS } from '../../src/popup';
import { broadcast, callbackSearch, recordWindows, sentState, stubOpen } from './harness';

const OPTIONS: ConnectOptions = { clientId: 'app-id', redirectUri: `${location.origin}/cars`, mode: 'test' };

/** The app under test: a "Connect your car" button that shows how its flow went. */
function ConnectCar({ options = OPTIONS, settings, onResult }: { options?: ConnectOptions; settings?: UseConnectSettings; onResult?: (r: ConnectSuccess | null) => void }) {
  const c = useConnect(options, settings);
  return (
    <div>
      <button type="button" aria-busy={c.status === 'pending'} onClick={() => void c.popup({ state: 'user-42' }).then(onResult)}>
        Connect your car
      </button>
      <button type="button" onClick={() => void c.redirect({ state: 'user-42' })}>
        Connect here
      </button>
      <button type="button" onClick={c.reset}>
        Start again
      </button>
      <p data-testid="status">{c.status}</p>
      {c.status === 'success' && <p role="status">{`${c.result.code ?? ''} ${c.result.state ?? ''}`}</p>}
      {c.status === 'error' && (
        <p role="alert">{c.error.code === 'configuration_error' ? `${c.error.statusCode}: ${c.error.errorMessage}` : c.error.code}</p>
      )}
    </div>
  );
}

const mount = (ui: React.ReactElement) => render(ui, { wrapper: StrictMode });
const status = () => screen.getByTestId('status').textContent;
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));


let sim: SimulatedConnect | undefined;
let errors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errors = vi.spyOn(console, 'error');
});
afterEach(() => {
  cleanup();
  sim?.restore();
  sim = undefined;
});

describe('useConnect (React, under StrictMode)', () => {
  it('goes pending, then success, from a click', async () => {
    sim = simulateConnect('success', { code: 'code-1', userId: 'user-9' });
    const onResult = vi.fn();
    mount(<ConnectCar onResult={onResult} />);
    expect(status()).toBe('idle');
    click('Connect your car');
    expect(status()).toBe('pending');
    expect(screen.getByRole('button', { name: 'Connect your car' }).getAttribute('aria-busy')).toBe('true');
    expect((await screen.findByRole('status')).textContent).toBe('code-1 user-42');
    expect(status()).toBe('success');
    expect(onResult).toHaveBeenCalledWith(expect.objectContaining({ flow: 'popup', code: 'code-1', userId: 'user-9', state: 'user-42' }));
    // One window: the click opened Connect synchronously, and StrictMode's second mount made no other.
    expect(sim.authorizeUrls).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it('goes pending, then error, showing configuration_error’s status code and message', async () => {
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
    const onResult = vi.fn();
    mount(<ConnectCar onResult={onResult} />);
    click('Connect your car');
    expect(status()).toBe('pending');
    expect((await screen.findByRole('alert')).textContent).toBe('400: You have entered a test mode VIN.');
    expect(status()).toBe('error');
    // The error is in `error`; the promise resolves with null instead of rejecting unhandled.
    expect(onResult).toHaveBeenCalledWith(null);
  });

  it('shows a blocked popup as popup_blocked', async () => {
    sim = simulateConnect('popup_blocked');
    mount(<ConnectCar />);
    click('Connect your car');
    expect((await screen.findByRole('alert')).textContent).toBe('popup_blocked');
  });

  it('closes the popup when unmounted during a flow, with no update and no warning after', async () => {
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    const view = mount(<ConnectCar />);
    click('Connect your car');
    expect(status()).toBe('pending');
    expect(opened).toHaveLength(1);
    expect(opened[0].closed).toBe(false);
    view.unmount();
    await Promise.resolve(); // closed once the unmounting task's microtasks run
    expect(opened[0].closed).toBe(true);
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(errors).not.toHaveBeenCalled();
  });

  it('reads a same-window return once on mount, StrictMode’s double effects included', async () => {
    sim = simulateConnect('success', { code: 'code-2' });
    await createConnect(OPTIONS).redirect({ state: 'user-42' }); // the page "left" and came back
    expect(new URL(location.href).searchParams.get('code')).toBe('code-2');
    const success = vi.fn();
    mount(<ConnectCar settings={{ on: { success } }} />);
    expect((await screen.findByRole('status')).textContent).toBe('code-2 user-42');
    expect(success).toHaveBeenCalledTimes(1);
    expect(success).toHaveBeenCalledWith(expect.objectContaining({ flow: 'redirect', code: 'code-2' }));
    expect(location.search).toBe('');
  });

  it('shows a same-window return’s error on mount', async () => {
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
    await createConnect(OPTIONS).redirect();
    mount(<ConnectCar />);
    expect((await screen.findByRole('alert')).textContent).toBe('400: You have entered a test mode VIN.');
  });

  it('leaves the URL alone with handleRedirect: false', async () => {
    sim = simulateConnect('success', { code: 'code-3' });
    await createConnect(OPTIONS).redirect();
    const before = location.href;
    mount(<ConnectCar settings={{ handleRedirect: false }} />);
    await act(() => new Promise((r) => setTimeout(r, 10)));
    expect(status()).toBe('idle');
    expect(location.href).toBe(before);
  });

  it('keeps its client when re-rendered with equal options, and makes a new one when they change', async () => {
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    let setOptions!: (o: ConnectOptions) => void;
    function Host() {
      const [options, set] = useState<ConnectOptions>({ ...OPTIONS, scope: ['read_odometer'] });
      setOptions = set;
      return <ConnectCar options={options} />;
    }
    mount(<Host />);
    click('Connect your car');
    expect(status()).toBe('pending');
    // A new object, equal by value (keys in another order): the flow and its popup go on.
    act(() => setOptions({ scope: ['read_odometer'], mode: 'test', redirectUri: OPTIONS.redirectUri, clientId: 'app-id' }));
    await act(() => new Promise((r) => setTimeout(r, 10)));
    expect(opened[0].closed).toBe(false);
    expect(status()).toBe('pending');
    // Different options: a new client; the old one's popup closes and the flow is cancelled.
    act(() => setOptions({ ...OPTIONS, scope: ['read_vin'] }));
    await act(() => new Promise((r) => setTimeout(r, 10)));
    expect(opened[0].closed).toBe(true);
    expect(status()).toBe('idle');
    click('Connect your car');
    expect(sim.authorizeUrls[1].searchParams.get('scope')).toBe('read_vin');
  });

  it('forwards the client’s events to the latest listeners, and stops on unmount', async () => {
    sim = simulateConnect('access_denied');
    const first = vi.fn();
    const second = vi.fn();
    const denied = vi.fn();
    const view = mount(<ConnectCar settings={{ on: { open: first } }} />);
    view.rerender(<ConnectCar settings={{ on: { open: second, access_denied: denied } }} />);
    click('Connect your car');
    await screen.findByRole('alert');
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(expect.objectContaining({ flow: 'popup' }));
    expect(denied).toHaveBeenCalledTimes(1);
    expect(denied.mock.calls[0][0]).toMatchObject({ code: 'access_denied', state: 'user-42' });
    // A listener the component no longer passes is unsubscribed; the others stay.
    view.rerender(<ConnectCar settings={{ on: { access_denied: denied } }} />);
    click('Start again');
    click('Connect your car');
    await screen.findByRole('alert');
    expect(denied).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('reset() returns to idle after an error, and closes a pending popup', async () => {
    sim = simulateConnect('access_denied');
    mount(<ConnectCar />);
    click('Connect your car');
    await screen.findByRole('alert');
    click('Start again');
    expect(status()).toBe('idle');
    expect(screen.queryByRole('alert')).toBeNull();
    sim.restore();
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    click('Connect your car');
    expect(status()).toBe('pending');
    click('Start again');
    expect(opened[0].closed).toBe(true);
    await act(() => new Promise((r) => setTimeout(r, 10)));
    expect(status()).toBe('idle');
    // The fresh client still works.
    sim.restore();
    sim = simulateConnect('success', { code: 'code-4' });
    click('Connect your car');
    expect((await screen.findByRole('status')).textContent).toBe('code-4 user-42');
  });

  it('turns bad options into a TypeError for the flows, reported once, without breaking the page', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const results: unknown[] = [];
    function Bad() {
      const c = useConnect(JSON.parse('{"clientId":"app-id","redirectUri":"https://app.example/cb","timeoutMs":"5000"}') as ConnectOptions);
      return <button onClick={() => void c.popup().catch((e: unknown) => results.push(e))}>Connect your car</button>;
    }
    mount(<Bad />);
    expect(reported).toHaveBeenCalledTimes(1);
    expect(String(reported.mock.calls[0][0])).toContain('timeoutMs');
    click('Connect your car');
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(results[0]).toBeInstanceOf(TypeError);
    expect((results[0] as TypeError).message).toContain('timeoutMs must be a positive number');
    vi.unstubAllGlobals();
  });

  it('rejects popup() with a TypeError for a bad flow option, and stays idle', async () => {
    sim = simulateConnect('success');
    let popup!: ReturnType<typeof useConnect>['popup'];
    function Probe() {
      const c = useConnect(OPTIONS);
      popup = c.popup;
      return <p data-testid="status">{c.status}</p>;
    }
    mount(<Probe />);
    await act(async () => {
      await expect(popup({ state: 42 } as never)).rejects.toThrow(TypeError);
    });
    expect(status()).toBe('idle');
    expect(sim.authorizeUrls).toHaveLength(0);
  });
});

describe('useConnect (React) with careless input', () => {
  it('sends this window to Connect from redirect(), pending until the page leaves', async () => {
    sim = simulateConnect('success', { code: 'code-5' });
    const open = vi.fn();
    mount(<ConnectCar settings={{ handleRedirect: false, on: { open } }} />);
    click('Connect here');
    expect(status()).toBe('pending');
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(open).toHaveBeenCalledWith(expect.objectContaining({ flow: 'redirect' }));
    expect(sim.authorizeUrls).toHaveLength(1);
    expect(status()).toBe('pending');
  });

  it('shows a redirect() the preflight refuses as configuration_error, without leaving', async () => {
    sim = simulateConnect('success');
    function Live() {
      const c = useConnect({ ...OPTIONS, mode: 'live' });
      return (
        <>
          <button onClick={() => void c.redirect({ singleSelect: { vin: '0SCAUDI0155C49A95' } })}>Connect here</button>
          {c.status === 'error' && c.error.code === 'configuration_error' && <p role="alert">{`${c.error.code} ${c.error.statusCode}`}</p>}
        </>
      );
    }
    mount(<Live />);
    click('Connect here');
    expect((await screen.findByRole('alert')).textContent).toBe('configuration_error 400');
    expect(sim.authorizeUrls).toHaveLength(0);
  });

  it('reports an event name that does not exist (options from JSON), and still forwards the others', async () => {
    sim = simulateConnect('success', { code: 'code-6' });
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    const success = vi.fn();
    const on = { ...(JSON.parse('{"sucess": null}') as object), success } as UseConnectSettings['on'];
    mount(<ConnectCar settings={{ on }} />);
    expect(String(reported.mock.calls[0][0])).toContain("no event 'sucess'");
    click('Connect your car');
    await screen.findByRole('status');
    expect(success).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });

  it('takes options that cannot be written out (a BigInt) as a TypeError naming the option', async () => {
    const reported = vi.fn();
    vi.stubGlobal('reportError', reported);
    let popup!: ReturnType<typeof useConnect>['popup'];
    function Probe() {
      popup = useConnect({ ...OPTIONS, timeoutMs: 10n as unknown as number }).popup;
      return null;
    }
    mount(<Probe />);
    expect(String(reported.mock.calls[0][0])).toContain('timeoutMs');
    await act(async () => {
      await expect(popup()).rejects.toThrow('timeoutMs must be a positive number');
    });
    vi.unstubAllGlobals();
  });

  it('returns to idle when the app aborts its own signal, resolving null rather than rejecting', async () => {
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    const controller = new AbortController();
    let flow!: Promise<unknown>;
    function Abortable() {
      const c = useConnect(OPTIONS);
      return (
        <>
          <button onClick={() => void (flow = c.popup({ signal: controller.signal }))}>Connect your car</button>
          <p data-testid="status">{c.status}</p>
        </>
      );
    }
    mount(<Abortable />);
    click('Connect your car');
    expect(status()).toBe('pending');
    act(() => controller.abort('the app changed its mind'));
    await act(async () => {
      expect(await flow).toBeNull();
    });
    expect(opened[0].closed).toBe(true);
    expect(status()).toBe('idle');
  });

  it('starts a new flow from a popup_closed listener, and shows that flow', async () => {
    sim = simulateConnect('popup_closed');
    let again!: () => void;
    function Retry() {
      const c = useConnect(OPTIONS, { on: { popup_closed: () => again() } });
      again = () => {
        sim!.restore();
        sim = simulateConnect('success', { code: 'code-7' });
        void c.popup();
      };
      return (
        <>
          <button onClick={() => void c.popup()}>Connect your car</button>
          <p data-testid="status">{c.status}</p>
          {c.status === 'success' && <p role="status">{c.result.code}</p>}
        </>
      );
    }
    mount(<Retry />);
    click('Connect your car');
    expect((await screen.findByRole('status', {}, { timeout: 3000 })).textContent).toBe('code-7');
    expect(status()).toBe('success');
  });

  it('keeps a flow clicked between StrictMode’s first commit and its second mount', async () => {
    // Outside act(), as in a browser: React commits, and only later (after a task a click can
    // come before) runs StrictMode's unmount and mount again.
    const actEnvironment = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
    const opened = recordWindows();
    const container = document.body.appendChild(document.createElement('div'));
    const clicked = new Promise<void>((resolve) => {
      new MutationObserver((_, observer) => {
        const button = container.querySelector('button');
        if (!button) return;
        observer.disconnect();
        button.click();
        resolve();
      }).observe(container, { childList: true, subtree: true });
    });
    const root = createRoot(container);
    try {
      root.render(
        <StrictMode>
          <ConnectCar />
        </StrictMode>,
      );
      await clicked;
      await vi.waitFor(() => expect(container.querySelector('[role=alert]')?.textContent).toBe('400: You have entered a test mode VIN.'));
      expect(opened).toHaveLength(1);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      root.unmount();
      container.remove();
      (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = actEnvironment;
    }
  });
});

describe('useConnect (React) and an answer that comes after its flow ended', () => {
  /** A flow whose popup showed Connect, then vanished (COOP on a carmaker's page): it ends as popup_closed. */
  async function closedWhileConnectRuns() {
    vi.useFakeTimers();
    const { last } = stubOpen();
    mount(<ConnectCar />);
    click('Connect your car');
    last().foreign = true;
    await act(() => vi.advanceTimersByTimeAsync(SEVER_MS + POLL_MS));
    last().closed = true;
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS));
    expect(screen.getByRole('alert').textContent).toBe('popup_closed');
    return last();
  }

  it('takes its latest flow’s late success into status and result', async () => {
    const win = await closedWhileConnectRuns();
    await act(() => broadcast(callbackSearch({ code: 'late-code' }, sentState(win))));
    expect(status()).toBe('success');
    expect(screen.getByRole('status').textContent).toBe('late-code user-42');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('takes its latest flow’s late error into status and error', async () => {
    const win = await closedWhileConnectRuns();
    await act(() => broadcast(callbackSearch({ error: 'access_denied', error_description: 'Denied' }, sentState(win))));
    expect(status()).toBe('error');
    expect(screen.getByRole('alert').textContent).toBe('access_denied');
  });

  it('leaves a late answer out of the view after reset(): the app moved on', async () => {
    const win = await closedWhileConnectRuns();
    click('Start again');
    await act(() => broadcast(callbackSearch({ code: 'late-code' }, sentState(win))));
    expect(status()).toBe('idle');
  });
});

