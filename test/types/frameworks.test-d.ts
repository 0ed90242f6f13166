import { describe, expectTypeOf, it } from 'vitest';
import { ref } from 'vue';
import type { AnyConnectError, ConfigurationError, ConnectSuccess } from '../../src/index';
import { useConnect as useReact, type ConnectStatus } from '../../src/react';
import { useConnect as useVue } from '../../src/vue';

const options = { clientId: 'app-id', redirectUri: 'https://app.example/cb' };

describe('React useConnect', () => {
  it('narrows result and error by status', () => {
    const c = useReact(options);
    expectTypeOf(c.status).toEqualTypeOf<ConnectStatus>();
    if (c.status === 'success') {
      expectTypeOf(c.result).toEqualTypeOf<ConnectSuccess>();
      expectTypeOf(c.error).toEqualTypeOf<null>();
    } else if (c.status === 'error') {
      expectTypeOf(c.error).toEqualTypeOf<AnyConnectError>();
      expectTypeOf(c.result).toEqualTypeOf<null>();
    } else {
      expectTypeOf(c.result).toEqualTypeOf<null>();
      expectTypeOf(c.error).toEqualTypeOf<null>();
    }
    // Destructured, too.
    const { status, result } = useReact(options);
    if (status === 'success') expectTypeOf(result.code).toEqualTypeOf<string | undefined>();
    // @ts-expect-error: result may be null until status says success
    void result.code;
  });

  it('types the flows and the event listeners, and refuses wrong event names', () => {
    const c = useReact(options, {
      handleRedirect: false,
      on: { configuration_error: (e) => expectTypeOf(e).toEqualTypeOf<ConfigurationError>(), success: (s) => expectTypeOf(s).toEqualTypeOf<ConnectSuccess>() },
    });
    expectTypeOf(c.popup({ state: 'user-42' })).toEqualTypeOf<Promise<ConnectSuccess | null>>();
    expectTypeOf(c.redirect()).toEqualTypeOf<Promise<ConnectSuccess | null>>();
    expectTypeOf(c.reset).toEqualTypeOf<() => void>();
    // @ts-expect-error: the event is configuration_error, with an underscore
    useReact(options, { on: { 'configuration-error': () => undefined } });
    // @ts-expect-error: not an event
    useReact(options, { on: { sucess: () => undefined } });
    // @ts-expect-error: a popup_closed listener gets a PopupClosedError, which has no statusCode
    useReact(options, { on: { popup_closed: (e: ConfigurationError) => e.statusCode } });
  });
});

describe('Vue useConnect', () => {
  it('returns readonly refs and the same actions', () => {
    const c = useVue(ref(options));
    expectTypeOf(c.status.value).toEqualTypeOf<ConnectStatus>();
    expectTypeOf(c.result.value).toEqualTypeOf<ConnectSuccess | null>();
    expectTypeOf(c.error.value).toEqualTypeOf<AnyConnectError | null>();
    expectTypeOf(c.popup()).toEqualTypeOf<Promise<ConnectSuccess | null>>();
    useVue(() => options, { on: { open: (o) => expectTypeOf(o.url).toEqualTypeOf<string>() } });
    // @ts-expect-error: not an event
    useVue(options, { on: { connected: () => undefined } });
    // @ts-expect-error: the state is the hook's, not the app's to set
    c.status.value = 'success';
  });
});
