import { build } from 'esbuild';
import linkPackage from '../../../scripts/link-package.mjs';

/** The two apps, each a file of this folder. */
export type StarterApp = 'starter' | 'getting-started';
/** `@smartcar/auth` itself, or this package's drop-in under its name (the one changed import). */
export type Sdk = 'official' | 'drop-in';
export type BuildMode = 'development' | 'production';

export interface AppBuild {
  app: StarterApp;
  sdk: Sdk;
  mode: BuildMode;
  clientId: string;
  redirectUri: string;
}

/**
 * Bundles an app as react-scripts does: its settings from the environment at build time, React 17's
 * development or production build, minified for production, every import resolved from node_modules.
 */
export async function buildApp(b: AppBuild): Promise<string> {
  linkPackage();
  const result = await build({
    entryPoints: [new URL(`${b.app}.jsx`, import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    jsx: 'automatic',
    minify: b.mode === 'production',
    logLevel: 'warning',
    alias: b.sdk === 'drop-in' ? { '@smartcar/auth': 'smartcar-connect-browser/compat' } : {},
    define: {
      'process.env.NODE_ENV': JSON.stringify(b.mode),
      'process.env.REACT_APP_CLIENT_ID': JSON.stringify(b.clientId),
      'process.env.REACT_APP_REDIRECT_URI': JSON.stringify(b.redirectUri),
    },
  });
  return result.outputFiles![0].text;
}
