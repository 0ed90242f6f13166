import { defineComponent, h } from 'vue';
import { useConnect } from './useConnect';

/** A "Connect your car" button, as a render-function component (no build step needed to type-check it). */
export const ConnectButton = defineComponent({
  props: { userId: { type: String, required: true } },
  setup(props) {
    const { pending, error, connect } = useConnect({
      clientId: 'your-application-id',
      redirectUri: `${location.origin}/connect/callback`,
      scope: ['read_vehicle_info', 'read_odometer'],
      mode: 'test',
    });
    return () =>
      h('div', [
        h('button', { type: 'button', 'aria-busy': pending.value, onClick: () => connect({ state: props.userId }) }, 'Connect your car'),
        error.value &&
          h(
            'p',
            { role: 'alert' },
            error.value.code === 'configuration_error' ? (error.value.errorMessage ?? error.value.description) : error.value.description,
          ),
      ]);
  },
});
