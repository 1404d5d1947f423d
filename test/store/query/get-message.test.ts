import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ConsumeQueue } from '../../../src/store/consumequeue/consume-queue.ts';
import { getMessageFromQueue } from '../../../src/store/query/get-message.ts';
import type { RecordSource, GetMessageLimits } from '../../../src/store/query/get-message.ts';
import { GetMessageStatus } from '../../../src/store/query/get-message-result.ts';

/** A fake commit log: record n is `size` bytes of value n at its offset; reads are counted. */
class FakeLog implements RecordSource {
  readonly bytes = Buffer.alloc(1 << 20);
  confirmed = 1 << 20;
  singleReads = 0;
  runReads: Array<{ offset: number; length: number }> = [];
  write(offset: number, size: number, fill: number): void {
    this.bytes.fill(fill, offset, offset + size);
  }
  getMessage(offset: number, size: number): Buffer | undefined {
    this.singleReads++;
    return offset + size <= this.confirmed ? Buffer.from(this.bytes.subarray(offset, offset + size)) : undefined;
  }
  rollNextFile(offset: number): number {
    return offset - (offset % (1 << 20)) + (1 << 20);
  }
  readRun(offset: number, minLength: number, maxLength: number): Buffer | undefined {
    const end = Math.min(offset + maxLength, this.confirmed);
    if (end < offset + minLength) return undefined;
    this.runReads.push({ offset, length: end - offset });
    return Buffer.from(this.bytes.subarray(offset, end));
  }
}

function queue(t: { after: (fn: () => void) => void }): ConsumeQueue {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'getmsg-'));
  const cq = new ConsumeQueue({ topic: 'T', queueId: 0, dir, fileSize: 1000 * 20 });
  cq.load();
  t.after(() => {
    cq.close({ discardUnwritten: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return cq;
}

const LIMITS: GetMessageLimits = { maxMsgNums: 32, maxTotalBytes: 256 * 1024, maxTotalCount: 32 };

test('adjacent records of one pull come from one read, as views of it, in order', (t) => {
  const cq = queue(t);
  const log = new FakeLog();
  let off = 0;
  for (let n = 0; n < 40; n++) {
    const size = 100 + n;
    log.write(off, size, n + 1);
    cq.putUnit(off, size, 0, n);
    off += size;
  }
  const r = getMessageFromQueue(cq, log, 0, LIMITS);
  assert.equal(r.status, GetMessageStatus.FOUND);
  assert.equal(r.messageCount, 32);
  assert.equal(r.nextBeginOffset, 32);
  assert.deepEqual(log.runReads.length, 1);
  assert.equal(log.singleReads, 0);
  const end32 = Array.from({ length: 32 }, (_, n) => 100 + n).reduce((a, b) => a + b, 0);
  assert.deepEqual(log.runReads[0], { offset: 0, length: end32 }, 'the read stops at the count budget');
  for (let n = 0; n < 32; n++) {
    assert.equal(r.messages[n].length, 100 + n);
    assert.ok(r.messages[n].every((b) => b === n + 1), `record ${n} has its own bytes`);
    assert.equal(r.messages[n].buffer, r.messages[0].buffer, 'views of one buffer');
  }
  assert.equal(r.bufferTotalSize, end32);
});

test('the byte budget caps the read; the first record is served even when larger than the budget', (t) => {
  const cq = queue(t);
  const log = new FakeLog();
  for (let n = 0; n < 10; n++) {
    log.write(n * 1000, 1000, n + 1);
    cq.putUnit(n * 1000, 1000, 0, n);
  }
  const r = getMessageFromQueue(cq, log, 0, { ...LIMITS, maxTotalBytes: 3500 });
  assert.equal(r.messageCount, 3);
  assert.deepEqual(log.runReads, [{ offset: 0, length: 3000 }]);
  const log2 = new FakeLog();
  log2.bytes.set(log.bytes);
  const r2 = getMessageFromQueue(cq, log2, 0, { ...LIMITS, maxTotalBytes: 10 });
  assert.equal(r2.messageCount, 1);
  assert.deepEqual(log2.runReads, [{ offset: 0, length: 1000 }]);
});

test('records that are not adjacent are read run by run; nothing past the confirmed offset is served', (t) => {
  const cq = queue(t);
  const log = new FakeLog();
  // queue records in pairs with gaps between pairs (another queue's records in between)
  const offsets = [0, 100, 500, 600, 1000, 1100];
  offsets.forEach((o, n) => {
    log.write(o, 100, n + 1);
    cq.putUnit(o, 100, 0, n);
  });
  log.confirmed = 1050;
  const r = getMessageFromQueue(cq, log, 0, LIMITS);
  assert.equal(r.status, GetMessageStatus.FOUND);
  assert.equal(r.messageCount, 4, 'the records past the confirmed offset are not served');
  assert.deepEqual(log.runReads, [
    { offset: 0, length: 200 },
    { offset: 500, length: 200 },
  ]);
  r.messages.forEach((m, n) => assert.ok(m.every((b) => b === n + 1)));
});

test('a tag filter skips records inside a run; they cost no budget', (t) => {
  const cq = queue(t);
  const log = new FakeLog();
  for (let n = 0; n < 20; n++) {
    log.write(n * 100, 100, n + 1);
    cq.putUnit(n * 100, 100, n % 2, n);
  }
  const r = getMessageFromQueue(cq, log, 0, { ...LIMITS, maxMsgNums: 5 }, { isMatchedByTagsCode: (tag) => tag === 1 });
  assert.equal(r.messageCount, 5);
  assert.deepEqual(r.queueOffsets, [1, 3, 5, 7, 9]);
  r.messages.forEach((m, k) => assert.ok(m.every((b) => b === 2 * k + 2)));
});
