import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { StoreLock } from '../../../src/store/checkpoint/lock-file.ts';
import { isRocketMQError, ERROR_CODES } from '../../../src/common/errors.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a second lock on the same store in this process is refused with the directory and PID', (t) => {
  const dir = tempDir(t);
  const a = new StoreLock(join(dir, 'lock'), dir);
  a.acquire();
  assert.equal(readFileSync(join(dir, 'lock'), 'utf8'), String(process.pid));
  const b = new StoreLock(join(dir, 'lock'), dir);
  assert.throws(() => b.acquire(), (e: unknown) => {
    assert.ok(isRocketMQError(e));
    assert.equal(e.code, ERROR_CODES.STORE);
    assert.match(e.message, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(e.message, new RegExp(`pid ${process.pid}`));
    return true;
  });
  a.release();
  assert.equal(existsSync(join(dir, 'lock')), false);
  b.acquire();
  b.release();
});

test('a lock held by another live process is refused; a dead holder is stale and taken over', (t) => {
  const dir = tempDir(t);
  const lockPath = join(dir, 'lock');
  // PID 1 is always alive (init); whether we may signal it or not, it counts as alive.
  writeFileSync(lockPath, '1');
  const lock = new StoreLock(lockPath, dir);
  assert.throws(() => lock.acquire(), /pid 1\b/);
  // A PID of a process that has exited.
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const deadPid = Number(child.stdout.toString());
  assert.ok(deadPid > 0);
  writeFileSync(lockPath, String(deadPid));
  lock.acquire();
  assert.equal(readFileSync(lockPath, 'utf8'), String(process.pid));
  lock.release();
});

test('an abandoned lock (simulated crash in this process) can be taken again', (t) => {
  const dir = tempDir(t);
  const lockPath = join(dir, 'lock');
  const a = new StoreLock(lockPath, dir);
  a.acquire();
  a.abandon();
  assert.ok(existsSync(lockPath));
  const b = new StoreLock(lockPath, dir);
  b.acquire();
  b.release();
});
