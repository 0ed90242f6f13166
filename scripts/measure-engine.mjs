// Lines of the delivery engine's files and of their longest functions (docs/delivery.md states the
// limits: 200 lines a file, 40 a function). Counts every line of a function's text, from its name
// (or its first token) to its closing brace, comments inside it included.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export const ENGINE = ['door', 'records', 'locks', 'popup', 'waiting', 'engine', 'popup-window', 'flow', 'protocol', 'redirect', 'callback'].map((name) => `src/${name}.ts`);

/** Each file's line count and its functions' (name and lines), longest first. */
export function measure(files = ENGINE) {
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const functions = [];
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const name = node.name?.getText(source) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
        functions.push({ name, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    functions.sort((a, b) => b.lines - a.lines);
    return { file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), functions };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { file, lines, functions } of measure()) console.log(`${String(lines).padStart(4)}  ${file.padEnd(22)} longest: ${functions.slice(0, 2).map((f) => `${f.name} ${f.lines}`).join(', ')}`);
}
