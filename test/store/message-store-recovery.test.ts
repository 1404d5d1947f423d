import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, readSync, writeSync, closeSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageStore } from '../../src/store/message-store.ts';
import { FaultPoints, FaultPoint } from '../../src/store/fault-points.ts';
import { PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import { GetMessageStatus } from '../../src/store/query/get-message-result.ts';
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { storeConfig, newStore, msg, bodies, decode } from './message-store-helpers.ts';

const BIG = 1 << 30;
const TOPIC = 'TopicR';

async function readAll(store: MessageStore, queueId = 0): Promise<string[]> {
  store.dispatchNow();
  const out: string[] = [];
  let offset = store.getMinOffsetInQueue(TOPIC, queueId);
  for (;;) {
    const r = store.getMessage('g', TOPIC, queueId, offset, 32, BIG);
    if (r.status !== GetMessageStatus.FOUND) break;
    out.push(...bodies(r.messages));
    offset = r.nextBeginOffset;
  }
  return out;
}

/** Writes `n` durable messages (flushed, dispatched, consume queues flushed), returns their bodies. */
async function durable(store: MessageStore, n: number, prefix = 'd'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = `${prefix}${i}-${'x'.repeat(200)}`;
    assert.equal((await store.putMessage(msg(TOPIC, 0, body, { KEYS: `${prefix}${i}` }))).status, PutMessageStatus.PUT_OK);
    out.push(body);
  }
  await store.flushCommitLog();
  store.dispatchNow();
  await store.flushDerived();
  return out;
}

async function crashScenario(config: MessageStoreConfig, point: FaultPoint): Promise<{ before: string[]; after: string[]; tail: string[] }> {
  const faults = new FaultPoints();
  const a = newStore(config, { faults });
  await a.start();
  const before = await durable(a, 40);
  faults.enable(point);
  const tail: string[] = [];
  for (let i = 0; i < 20; i++) {
    const body = `t${i}-${'y'.repeat(300)}`;
    await a.putMessage(msg(TOPIC, 0, body));
    tail.push(body);
  }
  await assert.rejects(a.flushCommitLog(), /simulated crash/);
  assert.deepEqual(faults.fired, [point]);
  await a.crashForTest();

  const b = newStore(config);
  await b.start();
  assert.equal(b.lastExitOK, false);
  const after = await readAll(b);
  // Appending goes on from the recovered queue offset.
  const r = await b.putMessage(msg(TOPIC, 0, 'resumed'));
  assert.equal(r.queueOffset, after.length);
  await b.shutdown();
  return { before, after, tail };
}

for (const point of [FaultPoint.CRASH_MID_RECORD, FaultPoint.SHORT_WRITE, FaultPoint.CRASH_BEFORE_FLUSH]) {
  test(`crash at ${point}: durable messages survive, the torn tail is cut, nothing corrupt is served`, async (t) => {
    const config = storeConfig(t);
    const { before, after, tail } = await crashScenario(config, point);
    assert.deepEqual(after.slice(0, before.length), before);
    const survivors = after.slice(before.length);
    // Whatever survived of the tail is a prefix of it, intact.
    assert.deepEqual(survivors, tail.slice(0, survivors.length));
    if (point === FaultPoint.CRASH_BEFORE_FLUSH) assert.equal(survivors.length, 0);
    else assert.ok(survivors.length < tail.length, 'the torn record is not served');
  });
}

test('SYNC_FLUSH: every acknowledged message survives a crash before flush; unacknowledged ones answer FLUSH_DISK_TIMEOUT', async (t) => {
  const config = storeConfig(t, { flushDiskType: 'SYNC_FLUSH' });
  const faults = new FaultPoints();
  const a = newStore(config, { faults });
  await a.start();
  const acked: string[] = [];
  for (let i = 0; i < 30; i++) {
    const r = await a.putMessage(msg(TOPIC, 0, `s${i}`));
    assert.equal(r.status, PutMessageStatus.PUT_OK);
    acked.push(`s${i}`);
  }
  faults.enable(FaultPoint.CRASH_BEFORE_FLUSH);
  const lost = await a.putMessage(msg(TOPIC, 0, 'lost'));
  assert.equal(lost.status, PutMessageStatus.FLUSH_DISK_TIMEOUT);
  await new Promise((r) => setImmediate(r));
  assert.equal(a.getMaxOffsetInQueue(TOPIC, 0), 30, 'the unflushed message is never dispatched');
  await a.crashForTest();
  const b = newStore(config);
  await b.start();
  assert.deepEqual(await readAll(b), acked);
  await b.shutdown();
});

test('a bad CRC in the middle of the last file ends the valid log; queues and index are cut there', async (t) => {
  const config = storeConfig(t);
  const a = newStore(config);
  await a.start();
  const all = await durable(a, 30);
  const victim = a.getCommitLogOffsetInQueue(TOPIC, 0, 20);
  const record = a.lookMessageByOffset(victim);
  assert.ok(record);
  await a.crashForTest();
  // Flip one body byte of queue offset 20's record.
  const fileSize = config.mappedFileSizeCommitLog;
  const fileFrom = victim - (victim % fileSize);
  const bodyPos = victim - fileFrom + record.length - decode(record).properties.KEYS.length - 40;
  const path = join(config.storePathCommitLog, String(fileFrom).padStart(20, '0'));
  const fd = openSync(path, 'r+');
  const b1 = Buffer.alloc(1);
  readSync(fd, b1, 0, 1, bodyPos);
  b1[0] ^= 0xff;
  writeSync(fd, b1, 0, 1, bodyPos);
  closeSync(fd);
  const b = newStore(config);
  await b.start();
  assert.deepEqual(await readAll(b), all.slice(0, 20));
  assert.equal(b.queryMessage(TOPIC, 'd25', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 0);
  assert.equal(b.queryMessage(TOPIC, 'd19', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 1);
  assert.equal(b.getMaxPhyOffset(), victim);
  // New messages reuse the truncated space and get indexed.
  await durable(b, 3, 'n');
  assert.equal(b.queryMessage(TOPIC, 'n1', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 1);
  await b.shutdown();
});

test('lost consume queues and index are rebuilt from the commit log', async (t) => {
  const config = storeConfig(t, { mappedFileSizeCommitLog: 16 * 1024 });
  const a = newStore(config);
  await a.start();
  const all = await durable(a, 200);
  assert.ok(readdirSync(config.storePathCommitLog).length > 1, 'several commit-log files');
  await a.shutdown();
  rmSync(join(config.storePathRootDir, 'consumequeue'), { recursive: true });
  rmSync(join(config.storePathRootDir, 'index'), { recursive: true });
  const b = newStore(config);
  await b.start();
  assert.equal(b.lastExitOK, true);
  assert.deepEqual(await readAll(b), all);
  assert.equal(b.queryMessage(TOPIC, 'd123', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 1);
  await b.shutdown();
});

test('after a crash, records the consume queues had not flushed are re-dispatched', async (t) => {
  const config = storeConfig(t, { flushIntervalConsumeQueue: 60_000 });
  const a = newStore(config);
  await a.start();
  const first = await durable(a, 10);
  // These reach the commit-log file but their consume-queue units stay in memory.
  const more: string[] = [];
  for (let i = 0; i < 15; i++) {
    await a.putMessage(msg(TOPIC, 0, `m${i}`, { KEYS: `m${i}` }));
    more.push(`m${i}`);
  }
  await a.flushCommitLog();
  a.dispatchNow();
  await a.crashForTest();
  const b = newStore(config);
  await b.start();
  assert.deepEqual(await readAll(b), [...first, ...more]);
  assert.equal(b.queryMessage(TOPIC, 'm14', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 1);
  await b.shutdown();
});

test('after a crash, every durable message is found by key although background rounds never synced the index', async (t) => {
  const config = storeConfig(t);
  const a = newStore(config);
  await a.start();
  const keys: string[] = [];
  for (let i = 0; i < 60; i++) {
    keys.push(`k${i}`);
    assert.equal((await a.putMessage(msg(TOPIC, 0, `b${i}`, { KEYS: `k${i}` }))).status, PutMessageStatus.PUT_OK);
  }
  await a.flushCommitLog();
  a.dispatchNow();
  await a.flushDerived({ background: true }); // consume queues and checkpoint; the index stays unsynced
  await a.crashForTest();

  const b = newStore(config);
  await b.start();
  try {
    assert.equal(b.lastExitOK, false);
    b.dispatchNow();
    for (const k of keys) {
      const r = b.queryMessage(TOPIC, k, 32, 0, Number.MAX_SAFE_INTEGER);
      assert.equal(r.messages.length, 1, `key ${k}`);
    }
  } finally {
    await b.shutdown();
  }
});
