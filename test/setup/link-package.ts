// vitest's global setup for the projects that import the package by name.
export { default } from '../../scripts/link-package.mjs';
