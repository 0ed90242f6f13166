import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');

/** Every module of src, with the modules of src it imports (type-only imports too). */
function graph(): Map<string, string[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(path.join(SRC, file), 'utf8');
    const imports = [...source.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)].map(([, spec]) => {
      const base = path.join(path.dirname(file), spec);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(path.join(SRC, f)))!;
    });
    edges.set(file, imports);
  }
  return edges;
}

/** The first import cycle found, as the list of modules around it, or nothing. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file)) return undefined;
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the modules of src', () => {
  it('import each other without a cycle, type-only imports included', () => {
    const edges = graph();
    expect(edges.size).toBeGreaterThan(15);
    expect(findCycle(edges)).toBeUndefined();
  });

  it('would show a cycle as the modules around it', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(findCycle(edges)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

});
