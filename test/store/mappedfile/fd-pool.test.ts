import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdPool } from '../../../src/store/mappedfile/fd-pool.ts';
import type { PooledFile } from '../../../src/store/mappedfile/fd-pool.ts';

function file(name: string, closedLog: string[], busy = { v: false }): PooledFile & { busy: { v: boolean } } {
  return { busy, canClose: () => !busy.v, closeFd: () => closedLog.push(name) };
}

test('over the cap, the least recently used idle file is closed; touch refreshes; busy files are skipped', () => {
  const closed: string[] = [];
  const pool = new FdPool(2);
  const a = file('a', closed);
  const b = file('b', closed);
  const c = file('c', closed);
  pool.opened(a);
  pool.opened(b);
  pool.touch(a);
  pool.opened(c);
  assert.deepEqual(closed, ['b']);
  assert.equal(pool.size, 2);
  a.busy.v = true;
  const d = file('d', closed);
  pool.opened(d);
  assert.deepEqual(closed, ['b', 'c'], 'a is busy, so c (next least recent) goes');
  pool.closed(a);
  assert.equal(pool.size, 1);
});

test('the cap is soft: when nothing can close the pool grows, and trim() catches up once files are idle', () => {
  const closed: string[] = [];
  const pool = new FdPool(1);
  const busy = { v: true };
  const a = file('a', closed, busy);
  const b = file('b', closed, busy);
  pool.opened(a);
  pool.opened(b);
  assert.equal(pool.size, 2);
  assert.deepEqual(closed, []);
  busy.v = false;
  pool.trim();
  assert.deepEqual(closed, ['a']);
  assert.equal(pool.size, 1);
});

test('trim looks at a bounded number of busy files per call and moves them behind the idle ones', () => {
  const closed: string[] = [];
  const pool = new FdPool(4);
  const checks = { n: 0 };
  const busyFiles = Array.from({ length: 1000 }, (_, i) => {
    const f = file(`busy${i}`, closed, { v: true });
    const canClose = f.canClose;
    f.canClose = () => (checks.n++, canClose());
    return f;
  });
  for (const f of busyFiles) pool.opened(f);
  assert.equal(pool.size, 1000, 'nothing could close');
  checks.n = 0;
  const idle = file('idle', closed);
  pool.opened(idle);
  assert.ok(checks.n <= 64, `one open looked at ${checks.n} busy files`);
  for (const f of busyFiles) f.busy.v = false;
  for (let i = 0; i < 100 && pool.size > 4; i++) pool.trim();
  assert.equal(pool.size, 4, 'repeated trims reach the cap once files are idle');
});
