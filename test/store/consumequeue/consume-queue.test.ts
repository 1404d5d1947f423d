import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsumeQueue, BoundaryType, consumeQueueFileSize } from '../../../src/store/consumequeue/consume-queue.ts';

const UNITS_PER_FILE = 10;
const FILE_SIZE = UNITS_PER_FILE * 20;

function open(dir: string): ConsumeQueue {
  const cq = new ConsumeQueue({ topic: 'T', queueId: 0, dir, fileSize: FILE_SIZE });
  cq.load();
  return cq;
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-cq-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'T', '0');
}

/** Unit i points at commit-log offset 1000 + 100·i, size 100, tagsCode i−5. */
function fill(cq: ConsumeQueue, from: number, to: number): void {
  for (let i = from; i < to; i++) assert.equal(cq.putUnit(1000 + 100 * i, 100, i - 5, i), true);
}

test('file size rounds up to whole 20-byte units', () => {
  assert.equal(consumeQueueFileSize(6_000_000), 6_000_000);
  assert.equal(consumeQueueFileSize(101), 120);
});

test('units across several files: min/max, lookup, reload', async (t) => {
  const dir = tempDir(t);
  const cq = open(dir);
  assert.equal(cq.maxOffset, 0);
  assert.equal(cq.getUnits(0), undefined);
  fill(cq, 0, 25);
  assert.equal(cq.minOffset, 0);
  assert.equal(cq.maxOffset, 25);
  assert.equal(cq.maxPhysicOffset, 1000 + 100 * 24 + 100);
  assert.deepEqual(cq.getUnit(13), { commitLogOffset: 2300, size: 100, tagsCode: 8 });
  // getUnits stops at the end of the unit's file.
  assert.equal(cq.getUnits(7)?.length, 3 * 20);
  assert.equal(cq.getUnits(20)?.length, 5 * 20);
  assert.equal(cq.getUnits(20, 2)?.length, 2 * 20);
  assert.equal(cq.getUnits(25), undefined);
  assert.equal(cq.rollNextFile(13), 20);
  await cq.flush();
  cq.close();
  assert.deepEqual(readdirSync(dir).sort(), ['00000000000000000000', '00000000000000000200', '00000000000000000400']);
  const again = open(dir);
  assert.equal(again.maxOffset, 25);
  assert.equal(again.maxPhysicOffset, 3500);
  assert.deepEqual(again.getUnit(24), { commitLogOffset: 3400, size: 100, tagsCode: 19 });
  fill(again, 25, 27);
  assert.equal(again.maxOffset, 27);
  again.close();
});

test('re-dispatched (duplicate) units are skipped', (t) => {
  const cq = open(tempDir(t));
  fill(cq, 0, 5);
  assert.equal(cq.putUnit(1000 + 100 * 3, 100, 0, 3), false, 'commit-log offset already covered');
  assert.equal(cq.putUnit(99_999, 100, 0, 2), false, 'logical offset already written');
  assert.equal(cq.maxOffset, 5);
  cq.close();
});

test('recovery stops at a torn unit and truncates the rest', async (t) => {
  const dir = tempDir(t);
  const cq = open(dir);
  fill(cq, 0, 14);
  await cq.flush();
  cq.close();
  // Corrupt unit 12 (size 0) in the second file; unit 13 after it must be dropped too.
  const fd = openSync(join(dir, '00000000000000000200'), 'r+');
  writeSync(fd, Buffer.alloc(4), 0, 4, 2 * 20 + 8);
  closeSync(fd);
  const again = open(dir);
  assert.equal(again.maxOffset, 12);
  assert.equal(again.maxPhysicOffset, 1000 + 100 * 11 + 100);
  assert.equal(again.getUnit(12), undefined);
  fill(again, 12, 13);
  assert.equal(again.maxOffset, 13);
  again.close();
});

test('truncateDirty drops units pointing at or past a commit-log offset, across files', async (t) => {
  const dir = tempDir(t);
  const cq = open(dir);
  fill(cq, 0, 25);
  await cq.flush(); // truncation is a recovery step: nothing may be in flight
  cq.truncateDirty(1000 + 100 * 8 + 50); // inside unit 8's record: unit 8 stays, 9.. go
  assert.equal(cq.maxOffset, 9);
  assert.equal(cq.maxPhysicOffset, 1900);
  assert.deepEqual(readdirSync(dir).sort(), ['00000000000000000000']);
  cq.truncateDirty(1000 + 100 * 8);
  assert.equal(cq.maxOffset, 8);
  fill(cq, 8, 12);
  assert.equal(cq.maxOffset, 12);
  await cq.flush();
  cq.truncateDirty(0);
  assert.equal(cq.maxOffset, 0);
  assert.equal(cq.maxPhysicOffset, -1);
  cq.close();
});

test('a queue whose first unit is past 0 starts there, also after reload', async (t) => {
  const dir = tempDir(t);
  const cq = open(dir);
  cq.putUnit(5000, 100, 1, 23);
  cq.putUnit(5100, 100, 1, 24);
  assert.equal(cq.minOffset, 23);
  assert.equal(cq.maxOffset, 25);
  assert.equal(cq.getUnits(22), undefined);
  await cq.flush();
  cq.close();
  assert.deepEqual(readdirSync(dir), ['00000000000000000400']);
  const again = open(dir);
  assert.equal(again.minOffset, 23);
  assert.equal(again.maxOffset, 25);
  assert.equal(again.maxPhysicOffset, 5200);
  again.close();
});

test('deleteExpiredFiles removes files below the commit-log min offset and corrects minOffset', async (t) => {
  const dir = tempDir(t);
  const cq = open(dir);
  fill(cq, 0, 25);
  await cq.flush(); // segments with unwritten bytes are never deleted
  assert.equal(cq.deleteExpiredFiles(1000), 0);
  assert.equal(cq.minOffset, 0);
  // Units 0..14 point below 2500: the first file (0..9) goes, minOffset moves to 15.
  assert.equal(cq.deleteExpiredFiles(2500), 1);
  assert.equal(cq.minOffset, 15);
  assert.equal(cq.getUnits(14), undefined);
  assert.deepEqual(readdirSync(dir).sort(), ['00000000000000000200', '00000000000000000400']);
  // Everything expired: the last file stays, minOffset = maxOffset.
  cq.deleteExpiredFiles(1e9);
  assert.deepEqual(readdirSync(dir), ['00000000000000000400']);
  assert.equal(cq.minOffset, 25);
  assert.equal(cq.maxOffset, 25);
  cq.close();
});

test('search by store timestamp with lower / upper boundaries', (t) => {
  const cq = open(tempDir(t));
  // Store times per unit: 100,100,100,300,300,500 (commit-log offset encodes the index).
  const times = [100, 100, 100, 300, 300, 500];
  times.forEach((_, i) => cq.putUnit(i * 100, 100, 0, i));
  const timeOf = (off: number): number => times[off / 100];
  const q = (ts: number, b: BoundaryType): number => cq.getOffsetInQueueByTime(ts, b, timeOf);
  assert.equal(q(100, BoundaryType.LOWER), 0);
  assert.equal(q(100, BoundaryType.UPPER), 2);
  assert.equal(q(300, BoundaryType.LOWER), 3);
  assert.equal(q(300, BoundaryType.UPPER), 4);
  assert.equal(q(200, BoundaryType.LOWER), 3, 'first after');
  assert.equal(q(200, BoundaryType.UPPER), 2, 'last before');
  assert.equal(q(50, BoundaryType.LOWER), 0);
  assert.equal(q(600, BoundaryType.LOWER), 6, 'past the end: max offset');
  assert.equal(q(600, BoundaryType.UPPER), 5);
  cq.close();
});
