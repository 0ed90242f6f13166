import { useConnect } from 'smartcar-connect-browser/vue';
import { defineComponent, h } from 'vue';
import { CONNECT_OPTIONS, sendToServer } from '../app-config';

/** A "Connect your car" button: Connect in a popup, and what came of it. */
export const ConnectButton = defineComponent({
  props: { userId: { type: String, required: true } },
  setup(props) {
    const { popup, status, result, error, reset } = useConnect(CONNECT_OPTIONS, {
      on: { success: ({ code }) => code && sendToServer(code) },
    });
    // Render functions keep the example free of a template compiler; a .vue file works the same.
    return () =>
      h('div', [
        h('button', { type: 'button', 'aria-busy': status.value === 'pending', onClick: () => void popup({ state: props.userId }) }, 'Connect your car'),
        result.value && h('p', { role: 'status' }, `Connected: ${result.value.vehicleId ?? result.value.userId ?? 'a new car'}`),
        error.value &&
          h('p', { role: 'alert' }, [
            error.value.code === 'configuration_error'
              ? `Connect stopped (${error.value.statusCode ?? '?'}): ${error.value.errorMessage ?? error.value.description} `
              : `${error.value.description} `,
            h('button', { type: 'button', onClick: reset }, 'Try again'),
          ]),
      ]);
  },
});
