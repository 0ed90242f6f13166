#!/usr/bin/env node
// smartcar-connect-stand-in [--port N] [--host H]: a local stand-in for Smartcar Connect, for
// Cypress and other end-to-end tests, and for trying flows by hand.
import { startConnectStandIn } from '../dist/testing-server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const port = Number(option('port', 5171));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('smartcar-connect-stand-in: --port must be a number from 0 to 65535');
  process.exit(2);
}
try {
  const standIn = await startConnectStandIn({ port, host: option('host', '127.0.0.1') });
  console.log(`Connect stand-in: ${standIn.origin}  (point connectOrigin at it; Ctrl+C stops it)`);
  const stop = () => standIn.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
