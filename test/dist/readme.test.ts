import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every TypeScript snippet of the README compiles as an app would write it, under `strict` with
// `noUncheckedIndexedAccess` and `exactOptionalPropertyTypes`: a reader can paste it as it is.

const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const snippets = [...readme.matchAll(/^```(ts|tsx)\n([\s\S]*?)^```$/gm)].map((m, i) => ({ ext: m[1], code: m[2], n: i + 1 }));

/**
 * What the snippets take as given from the app around them: its elements, its own functions and
 * the values its server hands over.
 */
const APP = `
declare const button: HTMLButtonElement;
declare const link: HTMLAnchorElement;
declare const connect: import('smartcar-connect-browser').Connect;
declare const CONNECT_OPTIONS: import('smartcar-connect-browser').ConnectOptions;
declare const clientId: string;
declare const redirectUri: string;
declare const vehicleId: string;
declare const id: string;
declare const headers: Record<string, string>;
declare function show(text: string | undefined): void;
declare function banner(text: string | undefined): void;
declare function log(...values: unknown[]): void;
declare function save(code: string | undefined, state: string | undefined): void;
declare function sendToServer(code: string | undefined): void;
declare function saveCapacity(vehicleId: string | undefined, kWh: number | undefined): Promise<void>;
declare function markUnknown(vehicleId: string | undefined): void;
`;

describe('the README’s TypeScript', () => {
  it(`has its snippets (${snippets.length}), each compiling under strict, noUncheckedIndexedAccess and exactOptionalPropertyTypes`, () => {
    expect(snippets.length).toBeGreaterThan(10);
    const dir = `${root}.tmp/readme-snippets`;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/app.d.ts`, APP);
    // Each snippet is a module of its own (so top-level await works and names do not clash).
    const files = snippets.map(({ ext, code, n }) => {
      const file = `${dir}/snippet-${n}.${ext}`;
      writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram([`${dir}/app.d.ts`, ...files], {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      jsx: ts.JsxEmit.ReactJSX,
      types: ['node'],
      skipLibCheck: true,
      baseUrl: root,
      paths: {
        'smartcar-connect-browser': ['src/index.ts'],
        'smartcar-connect-browser/callback': ['src/callback.ts'],
        'smartcar-connect-browser/testing': ['src/testing/index.ts'],
        'smartcar-connect-browser/testing/server': ['src/testing/server.ts'],
        'smartcar-connect-browser/react': ['src/react.ts'],
        'smartcar-connect-browser/vue': ['src/vue.ts'],
      },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(dir))
      .map((d) => {
        const where = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `README snippet ${d.file!.fileName.replace(/.*snippet-/, '')} line ${where.line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    expect(problems).toEqual([]);
  }, 60_000);
});
