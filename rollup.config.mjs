import path from 'node:path';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const ts = () =>
  typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false }, include: ['src/**/*.ts'] });

const minify = () =>
  terser({
    ecma: 2021,
    compress: { passes: 3, unsafe_methods: true },
    // Internal-only property names (never stored, never shared between builds) are mangled too.
    mangle: { properties: { regex: /^(urls|answer|promise|phase|held|win|expected|end|after|opened|report|app|destroyed|refused)$/ } },
    format: { comments: false },
  });

/** The npm entries: ESM and CommonJS, readable (the app's bundler minifies). */
const library = (name, input = `src/${name}.ts`) => ({
  input,
  plugins: [ts()],
  external: [/^node:/],
  output: [
    { file: `dist/${name}.mjs`, format: 'es' },
    { file: `dist/${name}.cjs`, format: 'cjs', exports: 'named' },
  ],
});

/**
 * A framework entry: its own file, with the framework and the package's main entry left as
 * imports, so an app holds one copy of the SDK whichever entries it uses.
 */
const MAIN = path.resolve('src/index.ts');
const framework = (name, peer) => ({
  input: `src/${name}.ts`,
  plugins: [ts()],
  external: (id) => id === peer || id === MAIN,
  output: [
    { file: `dist/${name}.mjs`, format: 'es', paths: { [MAIN]: './index.mjs' } },
    { file: `dist/${name}.cjs`, format: 'cjs', exports: 'named', paths: { [MAIN]: './index.cjs' } },
  ],
});

/** The script-tag builds: minified IIFEs. */
const script = (input, file, name) => ({
  input,
  plugins: [ts()],
  output: { file, format: 'iife', name, exports: 'auto', plugins: [minify()] },
});

const types = (name, input = `src/${name}.ts`, peer) => ({
  input,
  external: (id) => /^node:/.test(id) || id === peer || (!!peer && id === MAIN),
  plugins: [dts({ tsconfig: './tsconfig.json' })],
  // The same declarations twice: .d.ts for import, .d.cts for require.
  output: [
    { file: `dist/${name}.d.ts`, format: 'es', paths: { [MAIN]: './index.js' } },
    { file: `dist/${name}.d.cts`, format: 'es', paths: { [MAIN]: './index.cjs' } },
  ],
});

export default [
  library('index'),
  library('callback'),
  library('testing', 'src/testing/index.ts'),
  library('testing-server', 'src/testing/server.ts'),
  framework('react', 'react'),
  framework('vue', 'vue'),
  script('src/global.ts', 'dist/smartcar-connect.min.js', 'SmartcarConnect'),
  script('src/callback-auto.ts', 'dist/callback.min.js'),
  types('index'),
  types('callback'),
  types('testing', 'src/testing/index.ts'),
  types('testing-server', 'src/testing/server.ts'),
  types('react', 'src/react.ts', 'react'),
  types('vue', 'src/vue.ts', 'vue'),
];
