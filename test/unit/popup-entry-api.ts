// The main entry's names, with the popup entry's createConnect: what the popup suites import as
// '../../src/index' when they run against smartcar-connect-browser/popup (vitest's project
// "popup-entry"). Its own imports end in .js, so the project's alias leaves it alone.
export * from '../../src/index.js';
export { createConnect } from '../../src/popup-entry.js';
