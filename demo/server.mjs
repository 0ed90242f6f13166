// npm run demo: the example app on http://localhost:5170 and a Connect stand-in on http://127.0.0.1:5171,
// both on loopback only. No account and no internet needed.
import { startConnectStandIn } from '../dist/testing-server.mjs';
import { startApp } from './app-server.mjs';

// DEMO_PORT=0 picks free ports for both (the tests do that).
const appPort = Number(process.env.DEMO_PORT ?? 5170);
let connect, app;
try {
  connect = await startConnectStandIn({ host: '127.0.0.1', port: appPort && appPort + 1 });
  app = await startApp({ host: 'localhost', port: appPort, connectOrigin: connect.origin });
} catch (e) {
  // A port in use (the demo is already running?) is one clear line, not a stack trace.
  const reason = (e instanceof Error ? e.message : String(e)).replace(/;.*$/, '');
  console.error(`${reason}; run the demo on other ports with DEMO_PORT=N npm run demo (the stand-in takes N+1), or DEMO_PORT=0`);
  process.exit(1);
}

console.log(`Connect stand-in: ${connect.origin}`);
console.log(`Example app:      ${app.origin}/?connect=${encodeURIComponent(connect.origin)}`);
console.log('Press Ctrl+C to stop.');

const stop = async () => {
  await Promise.all([app.close(), connect.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
