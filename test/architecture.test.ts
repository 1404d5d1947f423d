// Reads every import under src/ and fails on an edge between layer folders that STYLE.md forbids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const SRC = resolve('src');

/** Layer → layers it may import (besides itself). */
export const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  remoting: ['common'],
  store: ['common'],
  namesrv: ['remoting', 'common'],
  broker: ['remoting', 'store', 'common'],
  client: ['remoting', 'common'],
  cli: ['client', 'remoting', 'common'],
  dashboard: ['client', 'remoting', 'common'],
  bin: ['namesrv', 'broker', 'client', 'cli', 'dashboard', 'remoting', 'store', 'common'],
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2]);
  return out;
}

function layerOf(file: string): string | undefined {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(sep)[0];
}

export function violations(files: string[], read: (f: string) => string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (from === undefined) continue;
    if (!(from in ALLOWED)) {
      bad.push(`${relative(SRC, file)}: folder '${from}' is not a known layer`);
      continue;
    }
    for (const spec of importsOf(read(file))) {
      if (!spec.startsWith('.')) continue; // packages and node: builtins
      const to = layerOf(resolve(dirname(file), spec));
      if (to === undefined) {
        bad.push(`${relative(SRC, file)} imports '${spec}' outside src/`);
      } else if (to !== from && !ALLOWED[from].includes(to)) {
        bad.push(`${relative(SRC, file)} (${from}) imports '${spec}' (${to}): forbidden edge`);
      }
    }
  }
  return bad;
}

test('no forbidden import edges between layer folders', () => {
  const bad = violations(walk(SRC), (f) => readFileSync(f, 'utf8'));
  assert.deepEqual(bad, []);
});

test('the checker itself catches a forbidden edge (store → remoting) and a client → broker edge', () => {
  const files = [join(SRC, 'store', 'x.ts'), join(SRC, 'client', 'y.ts'), join(SRC, 'broker', 'z.ts')];
  const sources: Record<string, string> = {
    [files[0]]: "import { a } from '../remoting/protocol/x.ts';\nimport { b } from '../common/errors.ts';",
    [files[1]]: "import type { c } from '../broker/broker-controller.ts';",
    [files[2]]: "import { d } from '../store/s.ts';\nimport { e } from '../remoting/r.ts';",
  };
  const bad = violations(files, (f) => sources[f]);
  assert.equal(bad.length, 2);
  assert.match(bad[0], /store.*remoting.*forbidden/);
  assert.match(bad[1], /client.*broker.*forbidden/);
});
