// npm run demo: the example app on http://localhost:5170 and a Connect stand-in on http://127.0.0.1:5171,
// both on loopback only. No account and no internet needed.
import { startApp } from './app-server.mjs';
import { startConnect } from './standin/connect.mjs';

// DEMO_PORT=0 picks free ports for both (the tests do that).
const appPort = Number(process.env.DEMO_PORT ?? 5170);
const connect = await startConnect({ host: '127.0.0.1', port: appPort && appPort + 1 });
const app = await startApp({ host: 'localhost', port: appPort, connectOrigin: connect.origin });

console.log(`Connect stand-in: ${connect.origin}`);
console.log(`Example app:      ${app.origin}/?connect=${encodeURIComponent(connect.origin)}`);
console.log('Press Ctrl+C to stop.');

const stop = async () => {
  await Promise.all([app.close(), connect.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
