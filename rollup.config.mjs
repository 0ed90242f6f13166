import { existsSync } from 'node:fs';
import path from 'node:path';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

// `npm run build` writes every file of dist/. TypeScript only strips types here, file by file
// (`npm run typecheck` checks them), so the whole build takes seconds; each config prints one line.

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** One line per finished config: what it wrote and how long the build has run. */
const progress = () => {
  const files = [];
  return {
    name: 'progress',
    writeBundle: (options, bundle) => void files.push(...(options.file ? [options.file] : Object.keys(bundle).map((f) => path.join(options.dir, f))).map((f) => path.relative('.', f))),
    closeBundle: () => console.log(`  built ${files.splice(0).join(', ')} (${seconds(started)})`),
  };
};

const compilerOptions = { target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, isolatedModules: true };

/**
 * TypeScript without a type-checking program: each file's types are stripped as it loads, and
 * `process.env.NODE_ENV` is set where a build decides it (the script-tag builds); the npm entries
 * keep it for the app's bundler.
 */
const typescript = (nodeEnv) => ({
  name: 'transpile-typescript',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const base = path.resolve(path.dirname(importer), source);
    return ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find(existsSync) ?? null;
  },
  transform(code, id) {
    if (!/\.tsx?$/.test(id)) return null;
    const { outputText } = ts.transpileModule(code, { compilerOptions, fileName: id });
    return { code: nodeEnv ? outputText.replaceAll('process.env.NODE_ENV', JSON.stringify(nodeEnv)) : outputText, map: null };
  },
});

const minify = () =>
  terser({
    ecma: 2021,
    compress: { passes: 3, unsafe_methods: true },
    // Internal properties carry a `_` prefix (never stored, posted or public): the script tags, where
    // only bytes matter, mangle them; the npm builds keep every name as the source has it.
    mangle: { properties: { regex: /^_[a-z]/ } },
    format: { comments: false },
    // The drop-in's class keeps the name @smartcar/auth's has (`smartcar.constructor.name`).
    keep_classnames: /^Smartcar$/,
  });

/** The npm entries: ESM and CommonJS, readable (the app's bundler minifies). */
const library = (name, input = `src/${name}.ts`) => ({
  input,
  plugins: [typescript(), progress()],
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
  plugins: [typescript(), progress()],
  external: (id) => id === peer || id === MAIN,
  output: [
    { file: `dist/${name}.mjs`, format: 'es', paths: { [MAIN]: './index.mjs' } },
    { file: `dist/${name}.cjs`, format: 'cjs', exports: 'named', paths: { [MAIN]: './index.cjs' } },
  ],
});

/** A script-tag build: an IIFE, minified for production, or readable with its development warnings. */
const script = (input, file, name, nodeEnv = 'production') => ({
  input,
  plugins: [typescript(nodeEnv), progress()],
  output: { file, format: 'iife', name, exports: 'auto', plugins: nodeEnv === 'production' ? [minify()] : [] },
});

/**
 * The engine's entries, built together: the main entry, the popup entry and the @smartcar/auth
 * drop-in share their code as chunks, so an app that imports two of them pays for it once. The
 * drop-in's `require()` gives the Smartcar class itself, as `require('@smartcar/auth')` does (its
 * other exports are its static members too).
 */
const engine = {
  input: { index: 'src/index.ts', popup: 'src/popup-entry.ts', compat: 'src/compat.ts' },
  plugins: [typescript(), progress()],
  output: [
    { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'shared-[hash].mjs' },
    {
      dir: 'dist',
      format: 'cjs',
      exports: 'named',
      entryFileNames: '[name].cjs',
      chunkFileNames: 'shared-[hash].cjs',
      outro: (chunk) => (chunk.name === 'compat' ? 'module.exports = Object.assign(exports.default, exports);' : ''),
    },
  ],
};

/**
 * The drop-in's declarations for `require()`: the class is `module.exports` (`export =`), its
 * option and callback types in a namespace of the same name.
 */
const compatTypesForRequire = () => ({
  name: 'compat-export-equals',
  generateBundle(_, bundle) {
    for (const file of Object.values(bundle)) {
      if (!file.fileName.endsWith('.d.cts')) continue;
      let names = '';
      file.code = file.code
        .replace(/^export \{ .*Smartcar as default.* \};\n/m, '')
        .replace(/^export type \{ (.*) \};\n?/m, (_, list) => ((names = list), ''));
      file.code += `declare namespace Smartcar {\n  export type { ${names} };\n}\nexport = Smartcar;\n`;
    }
  },
});

const types = (name, input = `src/${name}.ts`, peer) => ({
  input,
  external: (id) => /^node:/.test(id) || id === peer || (!!peer && id === MAIN),
  plugins: [dts({ tsconfig: './tsconfig.json' }), progress()],
  // The same declarations twice: .d.ts for import, .d.cts for require.
  output: [
    { file: `dist/${name}.d.ts`, format: 'es', paths: { [MAIN]: './index.js' } },
    { file: `dist/${name}.d.cts`, format: 'es', paths: { [MAIN]: './index.cjs' } },
  ],
});

export default [
  engine,
  library('callback'),
  library('testing', 'src/testing/index.ts'),
  library('testing-server', 'src/testing/server.ts'),
  framework('react', 'react'),
  framework('vue', 'vue'),
  script('src/script-tag.ts', 'dist/smartcar-connect.min.js', 'SmartcarConnect'),
  script('src/script-tag.ts', 'dist/smartcar-connect.js', 'SmartcarConnect', 'development'),
  script('src/callback-script.ts', 'dist/callback.min.js'),
  script('src/compat-script.ts', 'dist/compat.min.js', 'Smartcar'),
  types('index'),
  types('callback'),
  types('testing', 'src/testing/index.ts'),
  types('testing-server', 'src/testing/server.ts'),
  types('react', 'src/react.ts', 'react'),
  types('vue', 'src/vue.ts', 'vue'),
  types('popup', 'src/popup-entry.ts'),
  { ...types('compat'), plugins: [dts({ tsconfig: './tsconfig.json' }), compatTypesForRequire(), progress()] },
];
