import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { CommitLog, PutMessageStatus } from '../../../src/store/commitlog/commit-log.ts';
import { FlushDiskType } from '../../../src/store/config/message-store-config.ts';
import { FaultPoints, FaultPoint } from '../../../src/store/fault-points.ts';
import { decodeRecord, checkRecord, BLANK_MAGIC_CODE } from '../../../src/common/message/message-record.ts';
import { createOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { bodyCrc } from '../../../src/common/crc32.ts';
import { MessageSysFlag } from '../../../src/common/message/message-const.ts';
import { offsetToFileName } from '../../../src/store/mappedfile/mapped-file-queue.ts';
import { tmpStore, body, msg, openLog, verifyCommitLog, STORE_HOST } from './commit-log-helpers.ts';

test('append one message: offsets, store time, CRC and msgId are written into the record', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config, { now: () => 1_700_000_555_000 });
  const r = await log.appendMessage(msg('TopicA', 3, body(1), { TAGS: 'tagA', KEYS: 'k1 k2' }));
  assert.equal(r.status, PutMessageStatus.PUT_OK);
  assert.equal(r.wroteOffset, 0);
  assert.equal(r.queueOffset, 0);
  assert.equal(r.msgNum, 1);
  assert.equal(r.storeTimestamp, 1_700_000_555_000);
  assert.equal(r.msgId, createOffsetMsgId(STORE_HOST, 0));
  const r2 = await log.appendMessage(msg('TopicA', 3, body(2)));
  assert.equal(r2.wroteOffset, r.wroteBytes);
  assert.equal(r2.queueOffset, 1);
  assert.equal(log.getMaxOffset(), r.wroteBytes + r2.wroteBytes);
  const m = decodeRecord(log.getMessage(r2.wroteOffset, r2.wroteBytes)!);
  assert.equal(m.commitLogOffset, r2.wroteOffset);
  assert.equal(m.queueOffset, 1);
  assert.equal(m.storeTimestamp, 1_700_000_555_000);
  assert.equal(m.bodyCrc, bodyCrc(body(2)));
  assert.equal(m.flag, 7);
  assert.equal(m.msgId, r2.msgId);
  assert.deepEqual(m.body, body(2));
  const data = log.getData(0)!;
  assert.equal(data.length, log.getMaxOffset());
  const c = checkRecord(data, 0, data.length, true);
  assert.equal(c.kind, 'ok');
  if (c.kind === 'ok') {
    assert.equal(c.info.topic, 'TopicA');
    assert.equal(c.info.keys, 'k1 k2');
  }
  await log.shutdown();
  verifyCommitLog(config, [{ offset: 0, body: body(1) }, { offset: r2.wroteOffset, body: body(2) }]);
});

test('queue offsets are per topic and queue; prepared and rollback records get 0 and do not advance', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const a0 = await log.appendMessage(msg('T1', 0, body(1)));
  const b0 = await log.appendMessage(msg('T1', 1, body(2)));
  const c0 = await log.appendMessage(msg('T2', 0, body(3)));
  const prep = await log.appendMessage(msg('T1', 0, body(4), {}, MessageSysFlag.TRANSACTION_PREPARED_TYPE));
  const rb = await log.appendMessage(msg('T1', 0, body(5), {}, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE));
  const commit = await log.appendMessage(msg('T1', 0, body(6), {}, MessageSysFlag.TRANSACTION_COMMIT_TYPE));
  const a2 = await log.appendMessage(msg('T1', 0, body(7)));
  assert.deepEqual([a0, b0, c0, prep, rb, commit, a2].map((r) => r.queueOffset), [0, 0, 0, 0, 0, 1, 2]);
  assert.equal(log.getQueueOffset('T1', 0), 3);
  log.setQueueOffset('T9', 2, 40);
  assert.equal((await log.appendMessage(msg('T9', 2, body(8)))).queueOffset, 40);
  assert.equal(log.getQueueOffsetTable().get('T9-2'), 41);
  log.removeQueueFromTopicQueueTable('T9', 2);
  assert.equal((await log.appendMessage(msg('T9', 2, body(9)))).queueOffset, 0);
  await log.shutdown();
  verifyCommitLog(config, [], { consecutiveQueueOffsets: false });
});

test('a batch gets consecutive queue offsets, comma-joined msgIds and lands in one segment', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  await log.appendMessage(msg('B', 0, body(0, 3000)));
  const batch = [1, 2, 3, 4, 5].map((i) => msg('B', 0, body(i, 150)));
  const r = await log.appendMessages(batch);
  assert.equal(r.status, PutMessageStatus.PUT_OK);
  assert.equal(r.msgNum, 5);
  assert.equal(r.queueOffset, 1);
  assert.equal(r.wroteOffset, 4096, 'the batch did not fit the first segment: it starts the second one');
  assert.deepEqual(r.msgIds, r.wroteOffsets!.map((o) => createOffsetMsgId(STORE_HOST, o)));
  assert.equal(r.msgId, r.msgIds!.join(','));
  for (const [i, o] of r.wroteOffsets!.entries()) {
    const m = decodeRecord(log.getData(o)!);
    assert.equal(m.queueOffset, 1 + i);
    assert.deepEqual(m.body, body(i + 1, 150));
  }
  const mixed = await log.appendMessages([msg('B', 0, body(1)), msg('C', 0, body(2))]);
  assert.equal(mixed.status, PutMessageStatus.MESSAGE_ILLEGAL);
  await log.shutdown();
  const recs = verifyCommitLog(config);
  assert.equal(recs.length, 6);
});

test('segments roll over: a blank marker fills the end of a full segment and no record spans two', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const expected: Array<{ offset: number; body: Buffer }> = [];
  for (let i = 0; i < 40; i++) {
    const b = body(i, 300 + (i % 7) * 50);
    const r = await log.appendMessage(msg('Roll', i % 2, b));
    assert.equal(r.status, PutMessageStatus.PUT_OK);
    assert.equal(Math.floor(r.wroteOffset / 4096), Math.floor((r.wroteOffset + r.wroteBytes - 1) / 4096), 'within one segment');
    expected.push({ offset: r.wroteOffset, body: b });
  }
  const files = log.mappedFileQueue.files();
  assert.ok(files.length >= 4);
  await log.shutdown();
  // every full segment ends with the 8-byte marker: int32 remaining, int32 BLANK_MAGIC_CODE
  for (const f of files.slice(0, -1)) {
    const raw = fs.readFileSync(f.path);
    const lastRecord = expected.filter((e) => e.offset >= f.fileFromOffset && e.offset < f.fileFromOffset + 4096).at(-1)!;
    const end = lastRecord.offset - f.fileFromOffset + raw.readInt32BE(lastRecord.offset - f.fileFromOffset);
    assert.equal(raw.readInt32BE(end), 4096 - end, 'marker holds the space left');
    assert.equal(raw.readInt32BE(end + 4), BLANK_MAGIC_CODE);
    assert.equal(checkRecord(raw, end, raw.length, true).kind, 'blank');
  }
  assert.equal(verifyCommitLog(config, expected).length, 40);
});

test('a message that cannot fit any segment is refused as MESSAGE_ILLEGAL', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const r = await log.appendMessage(msg('Big', 0, body(1, 4096)));
  assert.equal(r.status, PutMessageStatus.MESSAGE_ILLEGAL);
  const tooBig = await log.appendMessage(msg('Big', 0, body(1, config.maxMessageSize + 1)));
  assert.equal(tooBig.status, PutMessageStatus.MESSAGE_ILLEGAL);
  const props = await log.appendMessage(msg('Big', 0, body(1), { K: 'x'.repeat(40_000) }));
  assert.equal(props.status, PutMessageStatus.PROPERTIES_SIZE_EXCEEDED);
  assert.equal(log.getMaxOffset(), 0);
  await log.shutdown();
  assert.equal(verifyCommitLog(config).length, 0);
});

test('reload after close: recovery finds the end, queue offsets continue, appends go on', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const expected: Array<{ offset: number; body: Buffer }> = [];
  for (let i = 0; i < 25; i++) {
    const r = await log.appendMessage(msg('Re', 0, body(i, 200)));
    expected.push({ offset: r.wroteOffset, body: body(i, 200) });
  }
  const max = log.getMaxOffset();
  await log.shutdown();
  const again = await openLog(config);
  assert.equal(again.getMaxOffset(), max);
  assert.equal(again.getFlushedOffset(), max);
  assert.equal(again.getQueueOffset('Re', 0), 25);
  const r = await again.appendMessage(msg('Re', 0, body(99, 200)));
  assert.equal(r.queueOffset, 25);
  assert.ok(r.wroteOffset >= max);
  expected.push({ offset: r.wroteOffset, body: body(99, 200) });
  await again.shutdown();
  assert.equal(verifyCommitLog(config, expected).length, 26);
});

test('ASYNC_FLUSH: appends answer before the disk; flush moves the flushed offset', async (t) => {
  const config = tmpStore(t, { mappedFileSizeCommitLog: 1024 * 1024 });
  let syncs = 0;
  const log = await openLog(config, { fdatasync: async () => void syncs++ });
  const r = await log.appendMessage(msg('F', 0, body(1)));
  assert.equal(r.status, PutMessageStatus.PUT_OK);
  assert.equal(log.getFlushedOffset(), 0);
  assert.equal(syncs, 0);
  assert.equal(await log.flush(), log.getMaxOffset());
  assert.equal(log.getFlushedOffset(), log.getMaxOffset());
  assert.ok(syncs >= 1);
  await log.shutdown();
  verifyCommitLog(config);
});

test('ASYNC_FLUSH timer: flushes at ≥ leastPages dirty, and everything at the thorough interval', async (t) => {
  mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const config = tmpStore(t, { mappedFileSizeCommitLog: 1024 * 1024, flushCommitLogThoroughInterval: 10_000 });
  const log = await openLog(config);
  const flushedEvents: number[] = [];
  let wake: (() => void) | undefined;
  log.onFlushed((off) => {
    flushedEvents.push(off);
    wake?.();
  });
  const nextFlush = (): Promise<void> => new Promise((r) => (wake = r));
  await log.appendMessage(msg('P', 0, body(1, 1000)));
  mock.timers.tick(500);
  await log.flush(); // a periodic flush, had it started, would be chained before this one and fire onFlushed
  assert.deepEqual(flushedEvents, [], 'under 4 dirty pages: no periodic flush');
  for (let i = 0; i < 20; i++) await log.appendMessage(msg('P', 0, body(i, 1000)));
  let p = nextFlush();
  mock.timers.tick(500);
  await p;
  assert.deepEqual(flushedEvents, [log.getMaxOffset()]);
  await log.appendMessage(msg('P', 0, body(77, 100)));
  p = nextFlush();
  mock.timers.tick(10_000);
  await p;
  assert.equal(flushedEvents.at(-1), log.getMaxOffset(), 'thorough flush ignores the page threshold');
  await log.shutdown();
  verifyCommitLog(config);
});

test('SYNC_FLUSH group commit: many concurrent appends share few fdatasyncs', async (t) => {
  const config = tmpStore(t, { flushDiskType: FlushDiskType.SYNC_FLUSH, mappedFileSizeCommitLog: 1024 * 1024 });
  let syncs = 0;
  const log = await openLog(config, { fdatasync: async () => void syncs++ });
  const n = 200;
  const results = await Promise.all(Array.from({ length: n }, (_, i) => log.appendMessage(msg('G', i % 4, body(i)))));
  assert.ok(results.every((r) => r.status === PutMessageStatus.PUT_OK));
  assert.ok(syncs >= 1 && syncs < n, `${syncs} fdatasyncs for ${n} appends`);
  assert.equal(log.getFlushedOffset(), log.getMaxOffset());
  const expected = results.map((r, i) => ({ offset: r.wroteOffset, body: body(i) }));
  await log.shutdown();
  assert.equal(verifyCommitLog(config, expected).length, n);
});

test('SYNC_FLUSH: an append arriving during an fdatasync waits for the next one', async (t) => {
  const config = tmpStore(t, { flushDiskType: FlushDiskType.SYNC_FLUSH, mappedFileSizeCommitLog: 1024 * 1024 });
  const gates: Array<() => void> = [];
  let entered: (() => void) | undefined;
  const log = await openLog(config, {
    fdatasync: () =>
      new Promise<void>((resolve) => {
        gates.push(resolve);
        entered?.();
      }),
  });
  const events: string[] = [];
  let inSync = new Promise<void>((r) => (entered = r));
  const a = log.appendMessage(msg('S', 0, body(1))).then((r) => events.push(`a:${r.status}`));
  await inSync;
  inSync = new Promise<void>((r) => (entered = r));
  const b = log.appendMessage(msg('S', 0, body(2))).then((r) => events.push(`b:${r.status}`));
  gates[0]();
  await a;
  assert.deepEqual(events, ['a:PUT_OK'], 'b is not covered by the fdatasync that was running when it arrived');
  await inSync;
  assert.equal(gates.length, 2);
  gates[1]();
  await b;
  assert.deepEqual(events, ['a:PUT_OK', 'b:PUT_OK']);
  await log.shutdown();
  verifyCommitLog(config);
});

test('SYNC_FLUSH: a flush slower than syncFlushTimeout answers FLUSH_DISK_TIMEOUT and the data stays', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 5_000_000 });
  t.after(() => mock.timers.reset());
  const config = tmpStore(t, { flushDiskType: FlushDiskType.SYNC_FLUSH, mappedFileSizeCommitLog: 1024 * 1024 });
  let release: (() => void) | undefined;
  let entered: (() => void) | undefined;
  const inSync = new Promise<void>((r) => (entered = r));
  let block = true;
  const log = await openLog(config, {
    fdatasync: () =>
      block
        ? new Promise<void>((resolve) => {
            release = resolve;
            entered?.();
          })
        : Promise.resolve(),
  });
  const pending = log.appendMessage(msg('Slow', 0, body(5)));
  await inSync;
  mock.timers.tick(config.syncFlushTimeout);
  const r = await pending;
  assert.equal(r.status, PutMessageStatus.FLUSH_DISK_TIMEOUT);
  assert.deepEqual(decodeRecord(log.getMessage(r.wroteOffset, r.wroteBytes)!).body, body(5), 'still appended');
  block = false;
  release!();
  const nowait = await log.appendMessage(msg('Slow', 0, body(6), { WAIT: 'false' }));
  assert.equal(nowait.status, PutMessageStatus.PUT_OK, 'WAIT=false does not wait for the disk');
  mock.timers.reset();
  await log.shutdown();
  verifyCommitLog(config, [{ offset: r.wroteOffset, body: body(5) }]);
});

test('status guards: not started, disk full, page cache busy', async (t) => {
  const config = tmpStore(t);
  let full = false;
  const log = new CommitLog(config, { isDiskFull: () => full, maxUnwrittenBytes: 1500 });
  log.load();
  log.recover(0);
  assert.equal((await log.appendMessage(msg('G', 0, body(1)))).status, PutMessageStatus.SERVICE_NOT_AVAILABLE);
  log.start();
  full = true;
  assert.equal((await log.appendMessage(msg('G', 0, body(1)))).status, PutMessageStatus.DISK_FULL);
  full = false;
  for (let i = 0; i < 4; i++) assert.equal((await log.appendMessage(msg('G', 0, body(i, 300)))).status, PutMessageStatus.PUT_OK);
  assert.equal((await log.appendMessage(msg('G', 0, body(9)))).status, PutMessageStatus.OS_PAGE_CACHE_BUSY);
  await log.flush();
  assert.equal((await log.appendMessage(msg('G', 0, body(9)))).status, PutMessageStatus.PUT_OK);
  await log.shutdown();
  assert.equal((await log.appendMessage(msg('G', 0, body(1)))).status, PutMessageStatus.SERVICE_NOT_AVAILABLE);
  assert.equal(verifyCommitLog(config).length, 5);
});

test('onAppended wakes listeners with the new max offset, once per burst', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const seen: number[] = [];
  log.onAppended((end) => seen.push(end));
  const all = [log.appendMessage(msg('W', 0, body(1))), log.appendMessage(msg('W', 0, body(2)))];
  await Promise.all(all);
  assert.deepEqual(seen, [log.getMaxOffset()]);
  await log.shutdown();
  verifyCommitLog(config);
});

test('truncateDirty forgets records after an offset; reopening shows only the earlier ones', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const rs = [];
  for (let i = 0; i < 30; i++) rs.push(await log.appendMessage(msg('Tr', 0, body(i, 250))));
  await log.flush();
  log.truncateDirty(rs[12].wroteOffset);
  assert.equal(log.getMaxOffset(), rs[12].wroteOffset);
  assert.equal(log.getMessage(rs[13].wroteOffset, rs[13].wroteBytes), undefined);
  await log.shutdown();
  const recs = verifyCommitLog(config, rs.slice(0, 12).map((r, i) => ({ offset: r.wroteOffset, body: body(i, 250) })));
  assert.equal(recs.length, 12);
});

test('recovery stops at a record whose body CRC does not match and truncates after it', async (t) => {
  const config = tmpStore(t, { mappedFileSizeCommitLog: 64 * 1024 });
  const log = await openLog(config);
  const rs = [];
  for (let i = 0; i < 10; i++) rs.push(await log.appendMessage(msg('Crc', 0, body(i, 200))));
  await log.shutdown();
  const path = join(config.storePathCommitLog, offsetToFileName(0));
  const raw = fs.readFileSync(path);
  raw[rs[6].wroteOffset + rs[6].wroteBytes - 80] ^= 0xff; // inside the body of record 6
  fs.writeFileSync(path, raw);
  const again = new CommitLog(config);
  again.load();
  const res = again.recover(0, { checkCrc: true });
  assert.equal(res.stoppedBy, 'INVALID');
  assert.match(res.reason!, /CRC/);
  assert.equal(res.endOffset, rs[6].wroteOffset);
  assert.equal(res.records, 6);
  assert.equal(again.getMaxOffset(), rs[6].wroteOffset);
  again.mappedFileQueue.close();
  assert.equal(verifyCommitLog(config).length, 6);
});

for (const point of [FaultPoint.CRASH_MID_RECORD, FaultPoint.SHORT_WRITE, FaultPoint.CRASH_BEFORE_FLUSH] as const) {
  test(`fault ${point}: recovery keeps every flushed record and drops the torn tail`, async (t) => {
    const config = tmpStore(t, { mappedFileSizeCommitLog: 64 * 1024 });
    const faults = new FaultPoints();
    const log = await openLog(config, { faults });
    const flushed = [];
    for (let i = 0; i < 10; i++) flushed.push(await log.appendMessage(msg('Fault', 0, body(i, 300))));
    assert.equal(await log.flush(), log.getMaxOffset());
    for (let i = 10; i < 16; i++) await log.appendMessage(msg('Fault', 0, body(i, 300)));
    faults.enable(point);
    await assert.rejects(log.flush(), /simulated crash/);
    assert.deepEqual(faults.fired, [point]);
    await log.shutdown(); // writes nothing more: the fault point crashed the file layer
    // the crash recovery: the torn tail (if any reached the file) is found and cut off
    const rec = new CommitLog(config);
    rec.load();
    const res = rec.recover(0, { checkCrc: true });
    if (point === FaultPoint.CRASH_MID_RECORD) assert.equal(res.stoppedBy, 'INVALID', 'the torn record is detected');
    rec.mappedFileQueue.close();
    const recs = verifyCommitLog(config, flushed.map((r, i) => ({ offset: r.wroteOffset, body: body(i, 300) })));
    assert.ok(recs.length >= 10 && recs.length < 16, `${recs.length} records survive`);
    if (point === FaultPoint.CRASH_BEFORE_FLUSH) assert.equal(recs.length, 10);
    if (point === FaultPoint.CRASH_MID_RECORD) assert.equal(recs.length, 15, 'only the last record is torn');
    // after recovery the log takes appends at the valid end
    const again = await openLog(config);
    const r = await again.appendMessage(msg('Fault', 0, body(50, 300)));
    assert.equal(r.queueOffset, recs.length);
    await again.shutdown();
    verifyCommitLog(config);
  });
}

test('recovery scans records that straddle its 4 MiB read window', async (t) => {
  const config = tmpStore(t, { mappedFileSizeCommitLog: 16 * 1024 * 1024 });
  const log = await openLog(config);
  const expected = [];
  for (let i = 0; i < 40; i++) {
    const b = body(i, 250_000 + i * 1000);
    expected.push({ offset: (await log.appendMessage(msg('Win', 0, b))).wroteOffset, body: b });
  }
  const max = log.getMaxOffset();
  await log.shutdown();
  assert.ok(max > 2 * 4 * 1024 * 1024, 'spans more than two read windows');
  assert.equal(verifyCommitLog(config, expected).length, 40);
});

test('getData stops at the end of a segment; rollNextFile gives the next one', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  const rs = [];
  for (let i = 0; i < 12; i++) rs.push(await log.appendMessage(msg('Data', 0, body(i, 500))));
  const second = rs.find((r) => r.wroteOffset >= 4096)!;
  const data = log.getData(0)!;
  assert.equal(data.length, 4096, 'up to the segment end (records + blank marker + slack)');
  assert.equal(log.rollNextFile(100), 4096);
  assert.equal(log.getData(4096, 10)!.length, 10);
  assert.equal(decodeRecord(log.getData(second.wroteOffset)!).commitLogOffset, second.wroteOffset);
  assert.equal(log.getData(log.getMaxOffset()), undefined);
  await log.shutdown();
  verifyCommitLog(config);
});

test('offsets beyond 32 bits: file names, stored offsets and msgIds stay exact', async (t) => {
  const config = tmpStore(t);
  const start = 2 ** 40 + 4096 * 3;
  const log = new CommitLog(config);
  log.load();
  log.truncateDirty(start);
  log.start();
  const r = await log.appendMessage(msg('Big', 0, body(1)));
  assert.equal(r.wroteOffset, start);
  assert.equal(r.msgId, createOffsetMsgId(STORE_HOST, start));
  const r2 = await log.appendMessage(msg('Big', 0, body(2)));
  assert.equal(r2.msgId, createOffsetMsgId(STORE_HOST, start + r.wroteBytes));
  assert.equal(decodeRecord(log.getMessage(r2.wroteOffset, r2.wroteBytes)!).commitLogOffset, start + r.wroteBytes);
  await log.shutdown();
  assert.deepEqual(fs.readdirSync(config.storePathCommitLog), [offsetToFileName(start)]);
  assert.equal(verifyCommitLog(config, [{ offset: start, body: body(1) }]).length, 2);
});
