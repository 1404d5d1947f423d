import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexFile, indexFileName, indexFileNameTime, isIndexFileName } from '../../../src/store/index/index-file.ts';
import { entryPosition, indexKeyHash, readIndexHeader } from '../../../src/store/index/index-codec.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-index-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const T0 = 1_700_000_000_000;

test('file names are local time yyyyMMddHHmmssSSS', () => {
  const t = new Date(2024, 0, 2, 3, 4, 5, 67).getTime();
  assert.equal(indexFileName(t), '20240102030405067');
  assert.equal(indexFileNameTime('20240102030405067'), t);
  assert.equal(isIndexFileName('20240102030405067'), true);
  assert.equal(isIndexFileName('00000000000000000000'), false);
  assert.ok(Number.isNaN(indexFileNameTime('x')));
});

test('create: full-size file; put and select; entries stay in memory until flush', (t) => {
  const dir = tempDir(t);
  const path = join(dir, indexFileName(T0));
  const f = IndexFile.create(path, { slotNum: 8, indexNum: 10 });
  t.after(() => f.close(false));
  assert.equal(statSync(path).size, 40 + 8 * 4 + 10 * 20);
  assert.ok(f.putKey('T#a', 100, T0));
  assert.ok(f.putKey('T#b', 200, T0 + 1000));
  assert.ok(f.putKey('T#a', 300, T0 + 2000));
  // nothing on disk yet (no syscall per entry)
  assert.ok(readFileSync(path).subarray(entryPosition(8, 1), entryPosition(8, 4)).equals(Buffer.alloc(60)));
  const out: number[] = [];
  f.selectPhyOffsets(out, 'T#a', 10, 0, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(out, [300, 100]);
  assert.equal(f.flush(), true);
  assert.equal(f.flush(), false, 'nothing dirty');
  const disk = readFileSync(path);
  const h = readIndexHeader(disk);
  assert.deepEqual(h, {
    beginTimestamp: T0,
    endTimestamp: T0 + 2000,
    beginPhyOffset: 100,
    endPhyOffset: 300,
    hashSlotCount: f.header.hashSlotCount,
    indexCount: 4,
  });
  // entry 3: hash of T#a, offset 300, 2 s, previous = entry 1
  assert.equal(
    disk.subarray(entryPosition(8, 3), entryPosition(8, 4)).toString('hex'),
    indexKeyHash('T#a').toString(16).padStart(8, '0') + '000000000000012c' + '00000002' + '00000001',
  );
  const slot = indexKeyHash('T#a') % 8;
  assert.equal(disk.readInt32BE(40 + slot * 4), 3);
});

test('a full file refuses keys; reopened read-only it answers from disk', (t) => {
  const dir = tempDir(t);
  const path = join(dir, indexFileName(T0));
  const f = IndexFile.create(path, { slotNum: 2, indexNum: 4 });
  assert.ok(f.putKey('T#k', 1, T0));
  assert.ok(f.putKey('T#k', 2, T0));
  assert.ok(f.putKey('T#k', 3, T0));
  assert.equal(f.isWriteFull(), true);
  assert.equal(f.putKey('T#k', 4, T0), false);
  f.close();
  const r = IndexFile.open(path, { slotNum: 2, indexNum: 4 }, true);
  t.after(() => r.close());
  assert.equal(r.writable, false, 'full files are not loaded for writing');
  assert.equal(r.entryCount, 3);
  const out: number[] = [];
  r.selectPhyOffsets(out, 'T#k', 2, 0, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(out, [3, 2]);
});

test('open rejects a file whose size does not match the configured slot/index numbers', (t) => {
  const dir = tempDir(t);
  const path = join(dir, indexFileName(T0));
  IndexFile.create(path, { slotNum: 4, indexNum: 4 }).close();
  assert.throws(() => IndexFile.open(path, { slotNum: 8, indexNum: 4 }, true), (e: unknown) => e instanceof RocketMQError && /maxHashSlotNum/.test(e.message));
  assert.throws(() => IndexFile.create(join(dir, 'x'), { slotNum: 0, indexNum: 4 }), RocketMQError);
});

test('time window, seconds granularity, and a stop at entries older than begin', (t) => {
  const dir = tempDir(t);
  const f = IndexFile.create(join(dir, indexFileName(T0)), { slotNum: 1, indexNum: 20 });
  t.after(() => f.close(false));
  for (let i = 0; i < 10; i++) f.putKey('T#k', i * 10, T0 + i * 1000 + 500);
  const out: number[] = [];
  f.selectPhyOffsets(out, 'T#k', 100, T0 + 3000, T0 + 6000);
  // stored time = begin + whole seconds: entry i reads as T0+500+i*1000 (begin = first store time)
  assert.deepEqual(out, [50, 40, 30]);
  assert.equal(f.isTimeMatched(T0 + 100_000, T0 + 200_000), false);
  assert.equal(f.isTimeMatched(0, Number.MAX_SAFE_INTEGER), true);
  assert.equal(f.isTimeMatched(T0 + 600, T0 + 700), true);
});
