/** Links this package into its own node_modules under its name. */
export default function linkPackage(): void;
