import { createApp } from 'vue';
import { ConnectButton } from './ConnectButton';

createApp(ConnectButton, { userId: 'user-42' }).mount('#app');
