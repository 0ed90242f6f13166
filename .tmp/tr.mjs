import { minify } from 'terser';
import fs from 'fs'; import zlib from 'zlib';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';
const b = await rollup({ input: 'src/global.ts', plugins: [typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false }, include: ['src/**/*.ts'] })] });
const { output } = await b.generate({ format: 'iife', name: 'SmartcarConnect', exports: 'auto' });
const code = output[0].code;
fs.writeFileSync('/tmp/global.js', code);
const base = { ecma: 2021, compress: { passes: 3, unsafe_methods: true }, mangle: { properties: { regex: /^(urls|answer|promise|phase|held|win|expected|end|after|opened|report|app|destroyed|refused)$/ } }, format: { comments: false } };
const variants = {
  base: {},
  arrows: { compress: { unsafe_arrows: true } },
  comps: { compress: { unsafe_comps: true } },
  undef: { compress: { unsafe_undefined: true } },
  symbols: { compress: { unsafe_symbols: true } },
  passes5: { compress: { passes: 5 } },
  hoist: { compress: { hoist_props: true, hoist_funs: true } },
  toplevel: { toplevel: true },
};
for (const [k, v] of Object.entries(variants)) {
  const o = { ...base, ...v, compress: { ...base.compress, ...(v.compress || {}) } };
  const r = await minify(code, o);
  console.log(k, r.code.length, zlib.gzipSync(r.code, { level: 9 }).length);
}
