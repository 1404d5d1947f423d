import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { MappedFileQueue, offsetToFileName } from '../../../src/store/mappedfile/mapped-file-queue.ts';
import { FaultPoints, FaultPoint } from '../../../src/store/fault-points.ts';
import { FdPool } from '../../../src/store/mappedfile/fd-pool.ts';
import { isRocketMQError, ERROR_CODES } from '../../../src/common/errors.ts';

function tmpDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'mfq-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(dir: string, fileSize = 4096, extra: Partial<ConstructorParameters<typeof MappedFileQueue>[0]> = {}): MappedFileQueue {
  const q = new MappedFileQueue({ dir, fileSize, ...extra });
  q.load();
  return q;
}

/** Distinct bytes per (seed, i) so any misplacement shows. */
function pattern(seed: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return b;
}

test('empty queue has zero positions and no files', (t) => {
  const dir = tmpDir(t);
  const q = open(dir);
  assert.equal(q.minOffset, 0);
  assert.equal(q.maxOffset, 0);
  assert.equal(q.flushedOffset, 0);
  assert.equal(q.remainingInFile(), 4096);
  assert.equal(q.files().length, 0);
  assert.equal(q.read(0, 1), undefined);
  q.close();
});

test('append, read from memory, flush, read back from file after reopen', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir);
  const a = pattern(1, 100);
  const b = pattern(2, 200);
  assert.equal(q.append(a), 0);
  assert.equal(q.append((target, pos) => b.copy(target, pos), 200), 100);
  assert.equal(q.maxOffset, 300);
  assert.equal(q.flushedOffset, 0);
  assert.deepEqual(q.read(0, 100), a);
  assert.deepEqual(q.read(100, 200), b);
  assert.deepEqual(q.read(50, 100), Buffer.concat([a, b]).subarray(50, 150));
  assert.equal(q.read(250, 51), undefined, 'past maxOffset');
  assert.equal(await q.flush(), 300);
  assert.equal(q.flushedOffset, 300);
  assert.deepEqual(q.read(0, 300), Buffer.concat([a, b]));
  q.close();

  const files = fs.readdirSync(dir);
  assert.deepEqual(files, [offsetToFileName(0)]);
  assert.equal(fs.statSync(join(dir, files[0])).size, 4096, 'preallocated to the segment size');
  const r = open(dir);
  assert.equal(r.maxOffset, 4096, 'after load positions sit at the end of the last segment until recovery truncates');
  r.truncateDirty(300);
  assert.equal(r.maxOffset, 300);
  assert.equal(r.flushedOffset, 300);
  assert.deepEqual(r.read(0, 300), Buffer.concat([a, b]));
  r.close();
});

test('segments roll over with 20-digit names and reads never cross a segment', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 1024);
  const written: Array<[number, Buffer]> = [];
  for (let i = 0; i < 30; i++) {
    const data = pattern(i, 300);
    if (q.remainingInFile() < data.length) q.skipToNextFile();
    written.push([q.append(data), data]);
  }
  assert.equal(q.files().length, 10);
  assert.deepEqual(q.files().map((f) => f.fileFromOffset), [0, 1024, 2048, 3072, 4096, 5120, 6144, 7168, 8192, 9216]);
  for (const [off, data] of written) assert.deepEqual(q.read(off, data.length), data);
  assert.equal(q.read(900, 200), undefined, 'crosses a segment boundary');
  await q.flush();
  q.close();
  assert.deepEqual(fs.readdirSync(dir).sort(), q.files().map((f) => offsetToFileName(f.fileFromOffset)));
  const r = open(dir, 1024);
  for (const [off, data] of written) assert.deepEqual(r.read(off, data.length), data);
  r.close();
});

test('an append larger than the room left in the segment is refused', (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 1024);
  q.append(pattern(1, 1000));
  assert.throws(() => q.append(pattern(2, 100)), (e: unknown) => isRocketMQError(e) && e.code === ERROR_CODES.STORE);
  q.close();
});

test('big data crosses many in-memory chunks; reads stitch memory and file', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 64 * 1024, { chunkSize: 1000 });
  const all: Buffer[] = [];
  for (let i = 0; i < 50; i++) {
    const d = pattern(i, 333);
    q.append(d);
    all.push(d);
  }
  const whole = Buffer.concat(all);
  // background commits may have written sealed chunks; every range must read back identically
  for (let off = 0; off < whole.length - 700; off += 97) assert.deepEqual(q.read(off, 700), whole.subarray(off, off + 700));
  await q.flush();
  assert.equal(q.unwrittenBytes, 0);
  for (let off = 0; off < whole.length - 700; off += 97) assert.deepEqual(q.read(off, 700), whole.subarray(off, off + 700));
  q.close();
});

test('load rejects a gap, a short segment that is not the newest, and an oversized one', (t) => {
  const dir = tmpDir(t);
  fs.writeFileSync(join(dir, offsetToFileName(0)), Buffer.alloc(4096));
  fs.writeFileSync(join(dir, offsetToFileName(8192)), Buffer.alloc(4096));
  const q = new MappedFileQueue({ dir, fileSize: 4096 });
  assert.throws(() => q.load(), (e: unknown) => isRocketMQError(e) && e.code === ERROR_CODES.STORE && /gap/.test(e.message));
  fs.writeFileSync(join(dir, offsetToFileName(4096)), pattern(1, 100));
  const q2 = new MappedFileQueue({ dir, fileSize: 4096 });
  assert.throws(() => q2.load(), (e: unknown) => isRocketMQError(e) && e.code === ERROR_CODES.STORE && /100 bytes/.test(e.message));
  assert.equal(fs.statSync(join(dir, offsetToFileName(4096))).size, 100, 'a short middle segment is left alone');
  fs.rmSync(join(dir, offsetToFileName(4096)));
  fs.writeFileSync(join(dir, offsetToFileName(8192)), Buffer.alloc(5000));
  fs.renameSync(join(dir, offsetToFileName(8192)), join(dir, offsetToFileName(4096)));
  const q3 = new MappedFileQueue({ dir, fileSize: 4096 });
  assert.throws(() => q3.load(), (e: unknown) => isRocketMQError(e) && e.code === ERROR_CODES.STORE && /5000 bytes/.test(e.message));
});

test('load deletes an empty or all-zero newest segment and the temp file of an interrupted creation', (t) => {
  for (const size of [0, 100]) {
    const dir = tmpDir(t);
    fs.writeFileSync(join(dir, offsetToFileName(0)), pattern(2, 4096));
    fs.writeFileSync(join(dir, offsetToFileName(4096)), Buffer.alloc(size));
    fs.writeFileSync(join(dir, `${offsetToFileName(8192)}.creating`), Buffer.alloc(10));
    const q = open(dir);
    assert.deepEqual(q.files().map((f) => f.fileFromOffset), [0]);
    assert.equal(q.maxOffset, 4096);
    assert.deepEqual(fs.readdirSync(dir), [offsetToFileName(0)]);
    assert.ok(q.read(0, 4096)?.equals(pattern(2, 4096)));
    // appending goes on in a fresh, full-size segment
    q.append(pattern(3, 64));
    assert.equal(fs.statSync(join(dir, offsetToFileName(4096))).size, 4096);
    q.close();
  }
});

test('load extends a short newest segment holding bytes; the bytes stay, the rest reads as zeros', (t) => {
  const dir = tmpDir(t);
  fs.writeFileSync(join(dir, offsetToFileName(0)), pattern(4, 4096));
  fs.writeFileSync(join(dir, offsetToFileName(4096)), pattern(5, 300));
  const q = open(dir);
  assert.equal(fs.statSync(join(dir, offsetToFileName(4096))).size, 4096);
  assert.equal(q.maxOffset, 8192);
  assert.ok(q.read(4096, 300)?.equals(pattern(5, 300)));
  assert.ok(q.read(4396, 3796)?.equals(Buffer.alloc(3796)));
  q.truncateDirty(4096 + 300);
  q.append(pattern(6, 10));
  assert.ok(q.read(4396, 10)?.equals(pattern(6, 10)));
  q.close();
});

test('a new segment appears under its name only at full size (no temp file left behind)', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 4096);
  for (let i = 0; i < 3; i++) {
    q.append(pattern(i, 4096));
    assert.deepEqual(fs.readdirSync(dir).sort(), Array.from({ length: i + 1 }, (_, k) => offsetToFileName(k * 4096)));
    for (const name of fs.readdirSync(dir)) assert.equal(fs.statSync(join(dir, name)).size, 4096);
  }
  await q.flush();
  q.close();
});

test('truncateDirty removes newer segments first: a crash mid-way leaves only a short newest segment', (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 1024);
  for (let i = 0; i < 3; i++) q.append(pattern(i, 1024));
  q.close();
  // what a kill between the deletes and the tail truncation leaves: segment 0 full, segment 1 cut short
  fs.rmSync(join(dir, offsetToFileName(2048)));
  fs.truncateSync(join(dir, offsetToFileName(1024)), 100);
  const q2 = open(dir, 1024);
  assert.equal(q2.maxOffset, 2048);
  assert.ok(q2.read(1024, 100)?.equals(pattern(1, 100)));
  q2.close();
});

test('truncateDirty deletes later segments, zeroes the tail and resets positions', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 1024);
  for (let i = 0; i < 12; i++) {
    if (q.remainingInFile() < 250) q.skipToNextFile();
    q.append(pattern(i, 250));
  }
  await q.flush();
  assert.equal(q.files().length, 3);
  q.truncateDirty(1024 + 100);
  assert.equal(q.files().length, 2);
  assert.equal(q.maxOffset, 1124);
  assert.equal(q.flushedOffset, 1124);
  assert.deepEqual(q.read(1024, 100), pattern(4, 250).subarray(0, 100));
  assert.equal(q.append(pattern(99, 50)), 1124);
  await q.flush();
  q.close();
  const raw = fs.readFileSync(join(dir, offsetToFileName(1024)));
  assert.deepEqual(raw.subarray(100, 150), pattern(99, 50));
  assert.ok(raw.subarray(150).every((x) => x === 0), 'tail zeroed');
  assert.ok(!fs.existsSync(join(dir, offsetToFileName(2048))));
});

test('truncateDirty drops bytes still in memory past the offset but keeps earlier unwritten ones', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 4096);
  q.append(pattern(1, 100));
  q.append(pattern(2, 100));
  q.truncateDirty(100);
  assert.equal(q.maxOffset, 100);
  await q.flush();
  q.close();
  const r = open(dir, 4096);
  r.truncateDirty(200);
  assert.deepEqual(r.read(0, 100), pattern(1, 100));
  assert.ok(r.read(100, 100)!.every((x) => x === 0));
  r.close();
});

test('flush positions: concurrent flushes resolve in order and cover appends made before they ran', async (t) => {
  const dir = tmpDir(t);
  let syncs = 0;
  const q = open(dir, 4096, { fdatasync: async () => void syncs++ });
  q.append(pattern(1, 10));
  const f1 = q.flush();
  q.append(pattern(2, 10));
  const f2 = q.flush();
  assert.equal(await f1, 20, 'the first flush runs after both appends were made');
  assert.equal(await f2, 20);
  assert.ok(syncs >= 1);
  const before = syncs;
  assert.equal(await q.flush(), 20);
  assert.equal(syncs, before, 'nothing dirty: no fdatasync');
  q.close();
});

test('deleteExpiredFiles deletes old segments from the front, never the one being written', async (t) => {
  const dir = tmpDir(t);
  let now = 1_000_000;
  const q = open(dir, 1024, { now: () => now });
  for (let i = 0; i < 5; i++) {
    q.append(pattern(i, 1000));
    q.skipToNextFile();
    now += 1000;
  }
  q.append(pattern(9, 10));
  await q.flush();
  assert.equal(q.files().length, 6);
  now = 2_000_000;
  for (const [i, f] of q.files().entries()) assert.ok(f.lastModified > 0, `file ${i} has a time`);
  assert.equal(q.deleteExpiredFiles(10_000_000, now, {}), 0, 'nothing old enough');
  assert.equal(q.deleteExpiredFiles(0, now, { maxFiles: 2 }), 2);
  assert.equal(q.minOffset, 2048);
  assert.equal(q.read(0, 10), undefined);
  assert.equal(q.deleteExpiredFiles(0, now, { force: true }), 3);
  assert.equal(q.files().length, 1, 'the segment being written stays');
  assert.equal(q.minOffset, 5120);
  assert.deepEqual(q.read(5120, 10), pattern(9, 10));
  q.close();
  assert.deepEqual(fs.readdirSync(dir), [offsetToFileName(5120)]);
});

test('deleteFilesBefore removes whole segments below an offset, once their bytes are written', async (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 1024);
  for (let i = 0; i < 4; i++) {
    q.append(pattern(i, 1024));
  }
  assert.equal(q.files().length, 4);
  assert.equal(q.deleteFilesBefore(2048 + 10), 0, 'bytes still only in memory');
  await q.flush();
  assert.equal(q.deleteFilesBefore(2048 + 10), 2);
  assert.equal(q.minOffset, 2048);
  assert.equal(q.deleteFilesBefore(1 << 30), 1, 'never the last');
  q.close();
});

test('fault SHORT_WRITE: only part of the batch reaches the file and the queue stops writing', async (t) => {
  const dir = tmpDir(t);
  const faults = new FaultPoints().enable(FaultPoint.SHORT_WRITE);
  const q = open(dir, 4096, { faults });
  q.append(pattern(1, 1000));
  await assert.rejects(q.flush(), (e: unknown) => isRocketMQError(e) && /shortWrite/.test(e.message));
  assert.equal(q.flushedOffset, 0);
  q.append(pattern(2, 10));
  await assert.rejects(q.flush(), /simulated crash/);
  q.close();
  const raw = fs.readFileSync(join(dir, offsetToFileName(0)));
  assert.deepEqual(raw.subarray(0, 500), pattern(1, 1000).subarray(0, 500));
  assert.ok(raw.subarray(500).every((x) => x === 0));
  assert.deepEqual(faults.fired, [FaultPoint.SHORT_WRITE]);
});

test('fault CRASH_BEFORE_FLUSH: buffered bytes never reach the file', async (t) => {
  const dir = tmpDir(t);
  const faults = new FaultPoints();
  const q = open(dir, 4096, { faults });
  q.append(pattern(1, 100));
  await q.flush();
  faults.enable(FaultPoint.CRASH_BEFORE_FLUSH);
  q.append(pattern(2, 100));
  await assert.rejects(q.flush(), /crashBeforeFlush/);
  q.close();
  const raw = fs.readFileSync(join(dir, offsetToFileName(0)));
  assert.deepEqual(raw.subarray(0, 100), pattern(1, 100));
  assert.ok(raw.subarray(100).every((x) => x === 0));
});

test('fault CRASH_MID_RECORD: the last append is torn in the middle', async (t) => {
  const dir = tmpDir(t);
  const faults = new FaultPoints().enable(FaultPoint.CRASH_MID_RECORD);
  const q = open(dir, 4096, { faults });
  q.append(pattern(1, 100));
  q.append(pattern(2, 100));
  q.append(pattern(3, 100));
  await assert.rejects(q.flush(), /crashMidRecord/);
  q.close();
  const raw = fs.readFileSync(join(dir, offsetToFileName(0)));
  assert.deepEqual(raw.subarray(0, 250), Buffer.concat([pattern(1, 100), pattern(2, 100), pattern(3, 100).subarray(0, 50)]));
  assert.ok(raw.subarray(250).every((x) => x === 0));
});

test('close(discardUnwritten) simulates a crash; plain close writes what is buffered', (t) => {
  const dir = tmpDir(t);
  const q = open(dir, 4096);
  q.append(pattern(1, 100));
  q.close();
  assert.deepEqual(fs.readFileSync(join(dir, offsetToFileName(0))).subarray(0, 100), pattern(1, 100));
  const r = open(dir, 4096);
  r.truncateDirty(100);
  r.append(pattern(2, 100));
  r.close({ discardUnwritten: true });
  assert.ok(fs.readFileSync(join(dir, offsetToFileName(0))).subarray(100, 200).every((x) => x === 0));
  assert.throws(() => r.append(pattern(3, 1)), (e: unknown) => isRocketMQError(e) && e.code === ERROR_CODES.NOT_RUNNING);
});

test('with a shared fd pool, unwritten and unsynced segments give up their descriptors; flush reopens and syncs them', async (t) => {
  const root = tmpDir(t);
  const pool = new FdPool(2);
  const synced: number[] = [];
  const queues = Array.from({ length: 12 }, (_, i) =>
    open(join(root, `q${i}`), 4096, {
      fdPool: pool,
      chunkSize: 256,
      fdatasync: (fd) => {
        synced.push(fd);
        return new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
      },
    }),
  );
  // Each queue creates its segment (opening it) and seals a chunk (a background write through the descriptor).
  queues.forEach((q, i) => q.append(pattern(i, 300)));
  await Promise.all(
    queues.map(async (q, i) => {
      await q.flush();
      q.append(pattern(100 + i, 10));
    }),
  );
  assert.ok(pool.size <= 2, `open descriptors stay at the cap, got ${pool.size}`);
  synced.length = 0;
  await Promise.all(queues.map((q) => q.flush()));
  assert.equal(synced.length, 12, 'every queue with written-but-unsynced bytes was reopened and fdatasynced');
  assert.ok(pool.size <= 2, `still at the cap after the flush round, got ${pool.size}`);
  queues.forEach((q, i) => {
    assert.deepEqual(q.read(0, 300), pattern(i, 300));
    assert.deepEqual(q.read(300, 10), pattern(100 + i, 10));
    assert.equal(q.flushedOffset, 310);
  });
  for (const q of queues) q.close();
  queues.forEach((q, i) => assert.deepEqual(fs.readFileSync(join(root, `q${i}`, offsetToFileName(0))).subarray(0, 300), pattern(i, 300)));
});
