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

/** The script-tag builds: minified IIFEs. */
const script = (input, file, name) => ({
  input,
  plugins: [ts()],
  output: { file, format: 'iife', name, exports: 'auto', plugins: [minify()] },
});

const types = (name, input = `src/${name}.ts`) => ({
  input,
  external: [/^node:/],
  plugins: [dts({ tsconfig: './tsconfig.json' })],
  // The same declarations twice: .d.ts for import, .d.cts for require.
  output: [
    { file: `dist/${name}.d.ts`, format: 'es' },
    { file: `dist/${name}.d.cts`, format: 'es' },
  ],
});

export default [
  library('index'),
  library('callback'),
  library('testing', 'src/testing/index.ts'),
  library('testing-server', 'src/testing/server.ts'),
  script('src/global.ts', 'dist/smartcar-connect.min.js', 'SmartcarConnect'),
  script('src/callback-auto.ts', 'dist/callback.min.js'),
  types('index'),
  types('callback'),
  types('testing', 'src/testing/index.ts'),
  types('testing-server', 'src/testing/server.ts'),
];
