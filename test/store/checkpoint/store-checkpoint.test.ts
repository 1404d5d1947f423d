import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreCheckpoint, CHECKPOINT_FILE_SIZE } from '../../../src/store/checkpoint/store-checkpoint.ts';
import { abortFileExists, createAbortFile, deleteAbortFile } from '../../../src/store/checkpoint/abort-file.ts';

test('checkpoint file is 4 KiB with the §7.5 layout and survives reopen', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'checkpoint');
  const cp = new StoreCheckpoint(path);
  assert.equal(cp.physicMsgTimestamp, 0);
  cp.physicMsgTimestamp = 0x0102030405060;
  cp.logicsMsgTimestamp = 0x0a0b0c0d0e0f;
  cp.indexMsgTimestamp = 1_700_000_000_123;
  cp.masterFlushedOffset = 77;
  cp.confirmPhyOffset = 99;
  cp.close();
  assert.equal(statSync(path).size, CHECKPOINT_FILE_SIZE);
  const raw = readFileSync(path);
  assert.equal(raw.readBigInt64BE(0), 0x0102030405060n);
  assert.equal(raw.readBigInt64BE(8), 0x0a0b0c0d0e0fn);
  assert.equal(raw.readBigInt64BE(16), 1_700_000_000_123n);
  assert.equal(raw.readBigInt64BE(24), 77n);
  assert.equal(raw.readBigInt64BE(32), 99n);
  const again = new StoreCheckpoint(path);
  assert.equal(again.physicMsgTimestamp, 0x0102030405060);
  assert.equal(again.confirmPhyOffset, 99);
  assert.equal(again.minTimestamp(), Math.min(0x0102030405060, 0x0a0b0c0d0e0f) - 3000);
  assert.equal(again.minTimestampIndex(), Math.min(again.minTimestamp(), 1_700_000_000_123));
  again.close();
});

test('abort file holds the PID while it exists', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-abort-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'abort');
  assert.equal(abortFileExists(path), false);
  createAbortFile(path);
  assert.equal(abortFileExists(path), true);
  assert.equal(readFileSync(path, 'utf8'), String(process.pid));
  deleteAbortFile(path);
  assert.equal(existsSync(path), false);
  deleteAbortFile(path);
});

test('flushAsync writes the values of its call; a close meanwhile waits for it before releasing the descriptor', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-async-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'checkpoint');
  const cp = new StoreCheckpoint(path);
  cp.physicMsgTimestamp = 111;
  const pending = cp.flushAsync();
  cp.physicMsgTimestamp = 222; // after the call: not part of that flush
  cp.abandon();
  await pending;
  const again = new StoreCheckpoint(path);
  assert.equal(again.physicMsgTimestamp, 111);
  again.close();
});
