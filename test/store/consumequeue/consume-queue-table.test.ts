// Thousands of consume queues must not keep a descriptor each (EMFILE): all queues share one bounded pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { PutMessageStatus } from '../../../src/store/commitlog/commit-log.ts';
import { GetMessageStatus } from '../../../src/store/query/get-message-result.ts';
import { storeConfig, newStore, msg, bodies } from '../message-store-helpers.ts';

function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

test('100 queues with maxOpenConsumeQueueFiles 8: every message readable, open files stay bounded', { skip: !fs.existsSync('/proc/self/fd') }, async (t) => {
  const QUEUES = 100;
  const PER_QUEUE = 12;
  // 5 units per consume-queue file: every queue spans 3 files
  const config = storeConfig(t, { maxOpenConsumeQueueFiles: 8, mappedFileSizeConsumeQueue: 5 * 20 });
  const baseline = openFdCount();
  const store = newStore(config);
  await store.start();
  const sent = new Map<string, string[]>();
  let peak = 0;
  for (let round = 0; round < PER_QUEUE; round++) {
    for (let q = 0; q < QUEUES; q++) {
      const topic = `TopicFd${q % 10}`;
      const queueId = Math.floor(q / 10);
      const body = `${topic}/${queueId}#${round}`;
      assert.equal((await store.putMessage(msg(topic, queueId, body))).status, PutMessageStatus.PUT_OK);
      const key = `${topic}/${queueId}`;
      sent.set(key, [...(sent.get(key) ?? []), body]);
    }
    store.dispatchNow();
    await store.flushDerived();
    peak = Math.max(peak, openFdCount() - baseline);
  }
  assert.equal(store.getRuntimeInfo().consumeQueueCount, QUEUES);
  for (const [key, bodiesSent] of sent) {
    const [topic, queueId] = key.split('/');
    const got: string[] = [];
    let offset = 0;
    for (;;) {
      const r = store.getMessage('g', topic, Number(queueId), offset, 4, 1 << 30);
      if (r.status !== GetMessageStatus.FOUND) break;
      got.push(...bodies(r.messages));
      offset = r.nextBeginOffset;
    }
    assert.deepEqual(got, bodiesSent, key);
    peak = Math.max(peak, openFdCount() - baseline);
  }
  // 300 consume-queue files exist; without the pool each queue keeps its newest file open (≥ 100 descriptors).
  // Besides the ≤ 8 (+1 while opening) queue files: commit-log segment, index file, checkpoint, lock, a few libuv fds.
  assert.ok(peak <= 8 + 1 + 12, `open descriptors peaked at ${peak} above the baseline`);
  await store.shutdown();
  assert.ok(openFdCount() <= baseline + 1, 'everything is closed after shutdown');
});

test('background consume-queue flushes honour flushConsumeQueueLeastPages; the thorough round and shutdown sync the rest', async (t) => {
  let clock = 1_700_000_000_000;
  let syncs = 0;
  const config = storeConfig(t, {
    // 1,000 units per file: one unit is 1 dirty page, 450 units (9,000 bytes) are 3
    mappedFileSizeConsumeQueue: 1000 * 20,
    flushIntervalConsumeQueue: 3_600_000,
    flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 60_000,
  });
  const store = newStore(config, {
    now: () => clock,
    consumeQueueFdatasync: async () => {
      syncs++;
    },
  });
  await store.start();
  const put = async (topic: string, n: number): Promise<void> => {
    for (let i = 0; i < n; i++) assert.equal((await store.putMessage(msg(topic, 0, `${topic}#${i}`))).status, PutMessageStatus.PUT_OK);
    await store.flushCommitLog();
    store.dispatchNow();
  };
  await put('TopicLeastPagesOne', 1);
  await put('TopicLeastPagesMany', 450);
  clock += 1000;
  await store.flushDerived({ background: true });
  assert.equal(syncs, 1, 'only the queue with ≥ 2 dirty pages is synced by a background round');
  // Unflushed units are still served (from memory).
  const r = store.getMessage('g', 'TopicLeastPagesOne', 0, 0, 4, 1 << 30);
  assert.equal(r.status, GetMessageStatus.FOUND);
  assert.deepEqual(bodies(r.messages), ['TopicLeastPagesOne#0']);
  clock += 60_000;
  await store.flushDerived({ background: true });
  assert.equal(syncs, 2, 'the thorough round syncs the queue with 1 dirty page');
  await put('TopicLeastPagesOne', 1);
  clock += 1000;
  await store.flushDerived({ background: true });
  assert.equal(syncs, 2);
  await store.shutdown();
  assert.equal(syncs, 3, 'shutdown syncs every dirty queue');
});
