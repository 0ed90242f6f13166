// Installs this package into its own node_modules as a link, so that examples and tests import
// 'smartcar-connect-browser' and its subpaths by name, through the exports map, as an app would.
import { existsSync, symlinkSync } from 'node:fs';

export default function linkPackage() {
  const link = new URL('../node_modules/smartcar-connect-browser', import.meta.url);
  if (!existsSync(link)) symlinkSync('..', link, 'dir');
}
