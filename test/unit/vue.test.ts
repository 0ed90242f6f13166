import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, effectScope, h, nextTick, ref, type PropType } from 'vue';
import { createConnect, type ConnectOptions } from '../../src/index';
import { useConnect, type UseConnectSettings } from '../../src/vue';
import { simulateConnect, type SimulatedConnect } from '../../src/testing/index';
import { GRACE_MS, POLL_MS, SEVER_MS } from '../../src/popup';
import { broadcast, callbackSearch, recordWindows, sentState, stubOpen } from './harness';

const OPTIONS: ConnectOptions = { clientId: 'app-id', redirectUri: `${location.origin}/cars`, mode: 'test' };

/** The app under test: a "Connect your car" button that shows how its flow went. */
const ConnectCar = defineComponent({
  props: {
    options: { type: Object as PropType<ConnectOptions>, default: () => OPTIONS },
    settings: { type: Object as PropType<UseConnectSettings>, default: undefined },
  },
  setup(props) {
    const { status, result, error, popup, reset } = useConnect(() => props.options, props.settings);
    return () =>
      h('div', [
        h('button', { 'aria-busy': status.value === 'pending', onClick: () => void popup({ state: 'user-42' }) }, 'Connect your car'),
        h('button', { class: 'reset', onClick: reset }, 'Start again'),
        h('p', { 'data-testid': 'status' }, status.value),
        result.value && h('p', { role: 'status' }, `${result.value.code ?? ''} ${result.value.state ?? ''}`),
        error.value &&
          h('p', { role: 'alert' }, error.value.code === 'configuration_error' ? `${error.value.statusCode}: ${error.value.errorMessage}` : error.value.code),
      ]);
  },
});


/** Waits for the simulated Connect's answer and Vue's re-render. */
const settle = async () => {
  await flushPromises();
  await new Promise((r) => setTimeout(r, 10));
  await nextTick();
};

let sim: SimulatedConnect | undefined;
let warnings: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warnings = vi.spyOn(console, 'warn');
});
afterEach(() => {
  sim?.restore();
  sim = undefined;
});

describe('useConnect (Vue)', () => {
  it('goes pending, then success, from a click', async () => {
    sim = simulateConnect('success', { code: 'code-1' });
    const wrapper = mount(ConnectCar);
    expect(wrapper.get('[data-testid=status]').text()).toBe('idle');
    await wrapper.get('button').trigger('click');
    await settle();
    expect(wrapper.get('[role=status]').text()).toBe('code-1 user-42');
    expect(wrapper.get('[data-testid=status]').text()).toBe('success');
    expect(sim.authorizeUrls).toHaveLength(1);
    wrapper.unmount();
  });

  it('goes pending, then error, showing configuration_error’s status code and message', async () => {
    sim = simulateConnect('configuration_error', { statusCode: 400, errorMessage: 'You have entered a test mode VIN.' });
    const wrapper = mount(ConnectCar);
    await wrapper.get('button').trigger('click');
    await settle();
    expect(wrapper.get('[role=alert]').text()).toBe('400: You have entered a test mode VIN.');
    expect(wrapper.get('[data-testid=status]').text()).toBe('error');
    wrapper.unmount();
  });

  it('shows a blocked popup as popup_blocked', async () => {
    sim = simulateConnect('popup_blocked');
    const wrapper = mount(ConnectCar);
    await wrapper.get('button').trigger('click');
    await settle();
    expect(wrapper.get('[role=alert]').text()).toBe('popup_blocked');
    wrapper.unmount();
  });

  it('is pending while the popup is open, and closes it when unmounted, with no warning', async () => {
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    const wrapper = mount(ConnectCar);
    await wrapper.get('button').trigger('click');
    expect(wrapper.get('[data-testid=status]').text()).toBe('pending');
    expect(wrapper.get('button').attributes('aria-busy')).toBe('true');
    expect(opened[0].closed).toBe(false);
    wrapper.unmount();
    await Promise.resolve(); // closed once the unmounting task's microtasks run
    expect(opened[0].closed).toBe(true);
    await settle();
    expect(warnings).not.toHaveBeenCalled();
  });

  it('reads a same-window return once on mount', async () => {
    sim = simulateConnect('success', { code: 'code-2' });
    await createConnect(OPTIONS).redirect({ state: 'user-42' });
    const success = vi.fn();
    const wrapper = mount(ConnectCar, { props: { settings: { on: { success } } } });
    await settle();
    expect(wrapper.get('[role=status]').text()).toBe('code-2 user-42');
    expect(success).toHaveBeenCalledTimes(1);
    expect(location.search).toBe('');
    wrapper.unmount();
  });

  it('keeps its client for equal options, and makes a new one when they change', async () => {
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    const wrapper = mount(ConnectCar, { props: { options: { ...OPTIONS, scope: ['read_odometer'] } } });
    await wrapper.get('button').trigger('click');
    await wrapper.setProps({ options: { scope: ['read_odometer'], clientId: 'app-id', mode: 'test', redirectUri: OPTIONS.redirectUri } });
    await settle();
    expect(opened[0].closed).toBe(false);
    expect(wrapper.get('[data-testid=status]').text()).toBe('pending');
    await wrapper.setProps({ options: { ...OPTIONS, scope: ['read_vin'] } });
    await settle();
    expect(opened[0].closed).toBe(true);
    expect(wrapper.get('[data-testid=status]').text()).toBe('idle');
    await wrapper.get('button').trigger('click');
    expect(sim.authorizeUrls[1].searchParams.get('scope')).toBe('read_vin');
    wrapper.unmount();
  });

  it('takes options as a ref, and reset() closes a pending popup', async () => {
    sim = simulateConnect('no_answer');
    const opened = recordWindows();
    const options = ref<ConnectOptions>(OPTIONS);
    const scope = effectScope();
    const c = scope.run(() => useConnect(options))!;
    void c.popup();
    expect(c.status.value).toBe('pending');
    c.reset();
    expect(opened[0].closed).toBe(true);
    expect(c.status.value).toBe('idle');
    await settle();
    expect(c.status.value).toBe('idle');
    // Stopping the scope ends the client: later flows are refused.
    scope.stop();
    await expect(c.popup()).rejects.toMatchObject({ name: 'InvalidStateError' });
  });

  it('forwards the client’s events, and stops with the component', async () => {
    sim = simulateConnect('access_denied');
    const denied = vi.fn();
    const wrapper = mount(ConnectCar, { props: { settings: { on: { access_denied: denied } } } });
    await wrapper.get('button').trigger('click');
    await settle();
    expect(denied).toHaveBeenCalledTimes(1);
    expect(denied.mock.calls[0][0]).toMatchObject({ code: 'access_denied', state: 'user-42' });
    wrapper.unmount();
  });
});

describe('useConnect (Vue) and an answer that comes after its flow ended', () => {
  it('takes its latest flow’s late answer into status and result, and none after reset()', async () => {
    vi.useFakeTimers();
    const { last } = stubOpen();
    const wrapper = mount(ConnectCar);
    const closedWhileConnectRuns = async () => {
      await wrapper.get('button').trigger('click');
      last().foreign = true;
      await vi.advanceTimersByTimeAsync(SEVER_MS + POLL_MS);
      last().closed = true;
      await vi.advanceTimersByTimeAsync(POLL_MS + GRACE_MS);
      await nextTick();
      expect(wrapper.get('[role=alert]').text()).toBe('popup_closed');
      return last();
    };
    let win = await closedWhileConnectRuns();
    await broadcast(callbackSearch({ code: 'late-code' }, sentState(win)));
    await nextTick();
    expect(wrapper.get('[data-testid=status]').text()).toBe('success');
    expect(wrapper.get('[role=status]').text()).toBe('late-code user-42');
    win = await closedWhileConnectRuns();
    await wrapper.get('button.reset').trigger('click');
    await broadcast(callbackSearch({ code: 'later' }, sentState(win)));
    await nextTick();
    expect(wrapper.get('[data-testid=status]').text()).toBe('idle');
    wrapper.unmount();
  });
});

