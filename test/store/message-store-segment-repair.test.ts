// Files left by a process killed while creating a segment (the crash test found them): a 0-byte or short newest
// segment in the commit log and in consume queues, a stray temp file, a 0-byte newest index file. The store must start,
// serve every message written before, go on appending, and pass the invariant check (storeConfig runs it after each test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageStore } from '../../src/store/message-store.ts';
import { PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import { GetMessageStatus } from '../../src/store/query/get-message-result.ts';
import { offsetToFileName } from '../../src/store/mappedfile/mapped-file-queue.ts';
import { createAbortFile } from '../../src/store/checkpoint/abort-file.ts';
import { storeConfig, newStore, msg, bodies } from './message-store-helpers.ts';

const BIG = 1 << 30;

async function readQueue(store: MessageStore, topic: string, queueId: number): Promise<string[]> {
  const out: string[] = [];
  let offset = store.getMinOffsetInQueue(topic, queueId);
  for (;;) {
    const r = store.getMessage('g', topic, queueId, offset, 32, BIG);
    if (r.status !== GetMessageStatus.FOUND) break;
    out.push(...bodies(r.messages));
    offset = r.nextBeginOffset;
  }
  return out;
}

async function put(store: MessageStore, topic: string, queueId: number, body: string): Promise<void> {
  assert.equal((await store.putMessage(msg(topic, queueId, body, { KEYS: body.slice(0, 12) }))).status, PutMessageStatus.PUT_OK);
}

function newest(dir: string): string {
  const names = readdirSync(dir).filter((n) => /^\d{20}$/.test(n)).sort();
  return names[names.length - 1];
}

for (const crashed of [false, true]) {
  test(`0-byte and short newest segments left by an interrupted creation are repaired at load (${crashed ? 'after a crash' : 'clean stop'})`, async (t) => {
    const topic = `TopicRepair${crashed ? 'C' : 'N'}`;
    const config = storeConfig(t);
    const a = newStore(config);
    await a.start();
    const sent: string[][] = [[], []];
    for (let i = 0; i < 170; i++) {
      const q = i % 5 === 0 ? 1 : 0;
      const body = `m${i}-${'z'.repeat(480)}`;
      await put(a, topic, q, body);
      sent[q].push(body);
    }
    await a.shutdown();
    const root = config.storePathRootDir;
    const clDir = join(root, 'commitlog');
    const cq0 = join(root, 'consumequeue', topic, '0');
    const cq1 = join(root, 'consumequeue', topic, '1');
    const clFiles = readdirSync(clDir).sort();
    assert.ok(clFiles.length >= 2, 'the commit log spans several segments');
    const cqFileSize = config.mappedFileSizeConsumeQueue;

    // commit log: the next segment exists with 0 bytes, plus the temp file of the one after
    const clNext = Number(newest(clDir)) + config.mappedFileSizeCommitLog;
    writeFileSync(join(clDir, offsetToFileName(clNext)), Buffer.alloc(0));
    writeFileSync(join(clDir, `${offsetToFileName(clNext + config.mappedFileSizeCommitLog)}.creating`), Buffer.alloc(7));
    // queue 0: the next segment exists with 0 bytes
    const cq0Next = Number(newest(cq0)) + cqFileSize;
    writeFileSync(join(cq0, offsetToFileName(cq0Next)), Buffer.alloc(0));
    // queue 1: its newest segment was cut short in the middle of a unit (an older version's interrupted write)
    const cq1Last = join(cq1, newest(cq1));
    const units1 = sent[1].length % (cqFileSize / 20) || cqFileSize / 20;
    truncateSync(cq1Last, (units1 - 2) * 20 + 7);
    // index: a 0-byte newest file
    const indexDir = join(root, 'index');
    writeFileSync(join(indexDir, '99991231235959999'), Buffer.alloc(0));
    if (crashed) createAbortFile(join(root, 'abort'));

    const b = newStore(config);
    await b.start();
    assert.equal(b.lastExitOK, !crashed);
    assert.equal(statSync(cq1Last).size, cqFileSize, 'the short consume-queue segment was extended');
    assert.ok(!readdirSync(clDir).includes(offsetToFileName(clNext)), 'the 0-byte commit-log segment was deleted');
    assert.ok(!readdirSync(clDir).some((n) => n.endsWith('.creating')), 'the temp file was removed');
    assert.ok(!readdirSync(cq0).includes(offsetToFileName(cq0Next)), 'the 0-byte consume-queue segment was deleted');
    assert.ok(!readdirSync(indexDir).includes('99991231235959999'), 'the 0-byte index file was deleted');
    assert.deepEqual(await readQueue(b, topic, 0), sent[0]);
    assert.deepEqual(await readQueue(b, topic, 1), sent[1], 'units cut off the short segment were rebuilt from the commit log');
    // appending goes on, across new segments of both kinds
    for (let i = 170; i < 300; i++) {
      const q = i % 5 === 0 ? 1 : 0;
      const body = `m${i}-${'z'.repeat(480)}`;
      await put(b, topic, q, body);
      sent[q].push(body);
    }
    b.dispatchNow();
    assert.deepEqual(await readQueue(b, topic, 0), sent[0]);
    assert.deepEqual(await readQueue(b, topic, 1), sent[1]);
    await b.shutdown();
  });
}

test('a short consume-queue segment that is not the newest stops the load with a STORE error', async (t) => {
  const topic = 'TopicRepairMid';
  const config = storeConfig(t, {}, { checkInvariants: false });
  const a = newStore(config);
  await a.start();
  for (let i = 0; i < 120; i++) await put(a, topic, 0, `x${i}`);
  await a.shutdown();
  const cq0 = join(config.storePathRootDir, 'consumequeue', topic, '0');
  const first = readdirSync(cq0).sort()[0];
  truncateSync(join(cq0, first), 100);
  const b = newStore(config);
  await assert.rejects(b.start(), (e: unknown) => e instanceof Error && /has 100 bytes, expected 1000/.test(e.message));
});
