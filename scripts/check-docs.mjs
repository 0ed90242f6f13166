// Every public function, class and client method must show an @example in its TSDoc, and every
// public name must have a summary (TypeDoc's own validation checks that). Reads TypeDoc's JSON.
import { readFileSync } from 'node:fs';

const KIND = { Variable: 32, Function: 64, Class: 128, Interface: 256, Method: 2048 };
const project = JSON.parse(readFileSync(new URL('../.vitest/api.json', import.meta.url), 'utf8'));

const commentOf = (r) => r.comment ?? r.signatures?.[0]?.comment;
const hasExample = (r) => (commentOf(r)?.blockTags ?? []).some((t) => t.tag === '@example');

const missing = [];
let checked = 0;
for (const module of project.children ?? []) {
  for (const r of module.children ?? []) {
    if ([KIND.Variable, KIND.Function, KIND.Class].includes(r.kind) && !/^[A-Z_]+$/.test(r.name)) {
      checked++;
      if (!hasExample(r)) missing.push(`${module.name}.${r.name}`);
    }
    if (r.kind === KIND.Interface && r.name === 'Connect') {
      for (const m of r.children ?? []) {
        checked++;
        if (!hasExample(m)) missing.push(`${module.name}.Connect.${m.name}`);
      }
    }
  }
}
// The README's testing examples are the files npm test runs, word for word.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
for (const file of ['popup.test.ts', 'same-window.test.ts', 'playwright.test.ts']) {
  const source = readFileSync(new URL(`../examples/testing/${file}`, import.meta.url), 'utf8').trimEnd();
  if (!readme.includes(`\`\`\`ts\n${source}\n\`\`\``)) missing.push(`README's copy of examples/testing/${file}`);
}
if (missing.length) {
  console.error(`Missing: ${missing.join(', ')} (public names need an @example; README examples must match their files)`);
  process.exit(1);
}
console.log(`docs: ${checked} public functions, classes and methods, each with an @example`);
