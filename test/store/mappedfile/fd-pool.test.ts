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
