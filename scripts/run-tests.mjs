#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx. `--heavy` runs test-heavy/** instead (soak, crash loops).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const heavy = process.argv.includes('--heavy');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const root = heavy ? 'test-heavy' : 'test';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = walk(root).sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files under ${root}/ matching ${filters.join(' ') || '*'}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
