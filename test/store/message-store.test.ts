import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetMessageStatus } from '../../src/store/query/get-message-result.ts';
import { BoundaryType } from '../../src/store/consumequeue/consume-queue.ts';
import { PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import { MessageSysFlag } from '../../src/common/message/message-const.ts';
import { javaStringHashCode } from '../../src/common/java-hash.ts';
import { isRocketMQError, ERROR_CODES } from '../../src/common/errors.ts';
import { storeConfig, newStore, msg, decode, bodies } from './message-store-helpers.ts';

const BIG = 1 << 30;

test('put, get and query by key across a restart', async (t) => {
  const config = storeConfig(t);
  const store = newStore(config);
  await store.start();
  const offsets: number[] = [];
  for (let i = 0; i < 30; i++) {
    const r = await store.putMessage(msg('TopicA', i % 2, `body-${i}`, { TAGS: i % 3 === 0 ? 'red' : 'blue', KEYS: `k${i} common`, UNIQ_KEY: `U${i}` }));
    assert.equal(r.status, PutMessageStatus.PUT_OK);
    assert.equal(r.queueOffset, Math.floor(i / 2));
    offsets.push(r.wroteOffset);
  }
  store.dispatchNow();
  assert.equal(store.getMaxOffsetInQueue('TopicA', 0), 15);
  assert.equal(store.getMaxOffsetInQueue('TopicA', 1), 15);
  const got = store.getMessage('g', 'TopicA', 1, 0, 4, BIG);
  assert.equal(got.status, GetMessageStatus.FOUND);
  assert.deepEqual(bodies(got.messages), ['body-1', 'body-3', 'body-5', 'body-7']);
  assert.equal(got.nextBeginOffset, 4);
  assert.equal(got.messageCount, 4);
  assert.equal(got.bufferTotalSize, got.messages.reduce((n, b) => n + b.length, 0));
  assert.equal(decode(got.messages[2]).commitLogOffset, offsets[5]);
  const byOffset = store.lookMessageByOffset(offsets[7]);
  assert.ok(byOffset);
  assert.equal(decode(byOffset).body.toString(), 'body-7');
  assert.equal(store.lookMessageByOffset(offsets[7] + 1), undefined);
  const q = store.queryMessage('TopicA', 'k12', 32, 0, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(bodies(q.messages), ['body-12']);
  assert.deepEqual(bodies(store.queryMessage('TopicA', 'U3', 32, 0, Number.MAX_SAFE_INTEGER).messages), ['body-3']);
  assert.equal(store.queryMessage('TopicA', 'common', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 30);
  assert.equal(store.queryMessage('OtherTopic', 'k12', 32, 0, Number.MAX_SAFE_INTEGER).messages.length, 0);
  await store.shutdown();

  const again = newStore(config);
  await again.start();
  assert.equal(again.lastExitOK, true);
  assert.equal(again.getMaxOffsetInQueue('TopicA', 0), 15);
  assert.deepEqual(bodies(again.getMessage('g', 'TopicA', 0, 14, 10, BIG).messages), ['body-28']);
  assert.deepEqual(bodies(again.queryMessage('TopicA', 'k29', 32, 0, Number.MAX_SAFE_INTEGER).messages), ['body-29']);
  // Queue offsets continue after the restart.
  const r = await again.putMessage(msg('TopicA', 0, 'after-restart'));
  assert.equal(r.queueOffset, 15);
  await again.shutdown();
});

test('every getMessage status with its next offset (§9)', async (t) => {
  const config = storeConfig(t);
  const store = newStore(config);
  await store.start();
  const none = store.getMessage('g', 'Nope', 0, 5, 32, BIG);
  assert.equal(none.status, GetMessageStatus.NO_MATCHED_LOGIC_QUEUE);
  assert.equal(none.nextBeginOffset, 0);
  for (let i = 0; i < 5; i++) await store.putMessage(msg('TopicS', 0, `m${i}`, { TAGS: i === 4 ? 'x' : 'y' }));
  store.dispatchNow();
  const s = (offset: number) => store.getMessage('g', 'TopicS', 0, offset, 32, BIG);
  assert.deepEqual([s(5).status, s(5).nextBeginOffset], [GetMessageStatus.OFFSET_OVERFLOW_ONE, 5]);
  assert.deepEqual([s(9).status, s(9).nextBeginOffset], [GetMessageStatus.OFFSET_OVERFLOW_BADLY, 5]);
  assert.deepEqual([s(2).status, s(2).nextBeginOffset, s(2).minOffset, s(2).maxOffset], [GetMessageStatus.FOUND, 5, 0, 5]);
  // A tag filter that matches nothing: NO_MATCHED_MESSAGE, and the consumer still moves past the scanned units.
  const noMatch = store.getMessage('g', 'TopicS', 0, 0, 32, BIG, { isMatchedByTagsCode: () => false });
  assert.deepEqual([noMatch.status, noMatch.nextBeginOffset, noMatch.messageCount], [GetMessageStatus.NO_MATCHED_MESSAGE, 5, 0]);
  const xCode = javaStringHashCode('x');
  const onlyX = store.getMessage('g', 'TopicS', 0, 0, 32, BIG, { isMatchedByTagsCode: (c) => c === xCode });
  assert.deepEqual(bodies(onlyX.messages), ['m4']);
  assert.deepEqual(onlyX.queueOffsets, [4]);
  const byProps = store.getMessage('g', 'TopicS', 0, 0, 32, BIG, {
    isMatchedByTagsCode: () => true,
    isMatchedByProperties: (p) => p.TAGS === 'x',
  });
  assert.deepEqual(bodies(byProps.messages), ['m4']);
  // maxMsgNums and the byte budget (the first record always comes back).
  assert.equal(store.getMessage('g', 'TopicS', 0, 0, 2, BIG).nextBeginOffset, 2);
  const oneByBytes = store.getMessage('g', 'TopicS', 0, 0, 32, 1);
  assert.deepEqual([oneByBytes.messageCount, oneByBytes.nextBeginOffset], [1, 1]);
  // An empty queue: create one whose records were all truncated away is hard; a deleted-and-recreated queue is empty.
  await store.putMessage(msg('TopicE', 0, 'e'));
  store.dispatchNow();
  store.deleteTopics(['TopicE']);
  assert.equal(store.getMessage('g', 'TopicE', 0, 0, 32, BIG).status, GetMessageStatus.NO_MATCHED_LOGIC_QUEUE);
  await store.shutdown();
});

test('NO_MESSAGE_IN_QUEUE for a queue that exists but holds nothing', async (t) => {
  const config = storeConfig(t);
  mkdirSync(join(config.storePathRootDir, 'consumequeue', 'TopicEmpty', '0'), { recursive: true });
  const store = newStore(config);
  await store.start();
  const r = store.getMessage('g', 'TopicEmpty', 0, 7, 32, BIG);
  assert.deepEqual([r.status, r.nextBeginOffset, r.minOffset, r.maxOffset], [GetMessageStatus.NO_MESSAGE_IN_QUEUE, 0, 0, 0]);
  await store.shutdown();
});

test('a second store on the same directory is refused with the directory and the PID', async (t) => {
  const config = storeConfig(t);
  const a = newStore(config);
  await a.start();
  const b = newStore(config);
  assert.throws(
    () => b.load(),
    (e: unknown) => isRocketMQError(e) && e.code === ERROR_CODES.STORE && e.message.includes(config.storePathRootDir) && e.message.includes(`pid ${process.pid}`),
  );
  await a.shutdown();
  // A lock left by a dead process is stale.
  writeFileSync(join(config.storePathRootDir, 'lock'), '999999999');
  const c = newStore(config);
  await c.start();
  await c.shutdown();
});

test('prepared / rollback records stay out of consume queues; SCHEDULE_TOPIC_XXXX units carry the deliver time', async (t) => {
  const config = storeConfig(t);
  const store = newStore(config);
  await store.start();
  await store.putMessage(msg('TopicTx', 0, 'half', { KEYS: 'tx1' }, MessageSysFlag.TRANSACTION_PREPARED_TYPE));
  await store.putMessage(msg('TopicTx', 0, 'rolled', {}, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE));
  await store.putMessage(msg('TopicTx', 0, 'committed', {}, MessageSysFlag.TRANSACTION_COMMIT_TYPE));
  await store.putMessage(msg('TopicTx', 0, 'plain'));
  const delayed = await store.putMessage(msg('SCHEDULE_TOPIC_XXXX', 2, 'later', { DELAY: '3', REAL_TOPIC: 'X', REAL_QID: '0', TAGS: 't' }));
  store.dispatchNow();
  const got = store.getMessage('g', 'TopicTx', 0, 0, 32, BIG);
  assert.deepEqual(bodies(got.messages), ['committed', 'plain']);
  assert.deepEqual(got.queueOffsets, [0, 1]);
  // The prepared record is still readable by offset and indexed by key (transaction checks look it up).
  assert.deepEqual(bodies(store.queryMessage('TopicTx', 'tx1', 32, 0, Number.MAX_SAFE_INTEGER).messages), ['half']);
  let seenTagsCode = 0;
  store.getMessage('g', 'SCHEDULE_TOPIC_XXXX', 2, 0, 32, BIG, {
    isMatchedByTagsCode: (c) => {
      seenTagsCode = c;
      return true;
    },
  });
  assert.equal(seenTagsCode, delayed.storeTimestamp + 10_000);
  await store.shutdown();
});

test('message-arrived listener fires per dispatched record; search by time; runtime info', async (t) => {
  const config = storeConfig(t);
  let now = 1_000_000;
  const store = newStore(config, { now: () => now });
  const arrived: Array<[string, number, number]> = [];
  store.onMessageArrived((topic, queueId, queueOffset) => arrived.push([topic, queueId, queueOffset]));
  await store.start();
  const times = [1000, 1000, 2000, 3000, 3000, 5000];
  for (const [i, ts] of times.entries()) {
    now = 1_000_000 + ts;
    await store.putMessage(msg('TopicTime', 0, `t${i}`));
  }
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(arrived, times.map((_, i) => ['TopicTime', 0, i]));
  const at = (ts: number, b: BoundaryType) => store.getOffsetInQueueByTime('TopicTime', 0, 1_000_000 + ts, b);
  assert.equal(at(1000, BoundaryType.LOWER), 0);
  assert.equal(at(1000, BoundaryType.UPPER), 1);
  assert.equal(at(3000, BoundaryType.LOWER), 3);
  assert.equal(at(2500, BoundaryType.LOWER), 3);
  assert.equal(at(2500, BoundaryType.UPPER), 2);
  assert.equal(at(9000, BoundaryType.LOWER), 6);
  assert.equal(store.getOffsetInQueueByTime('Nope', 0, 1), 0);
  assert.equal(store.getMessageStoreTimeStamp('TopicTime', 0, 2), 1_002_000);
  assert.equal(store.getEarliestMessageTime('TopicTime', 0), 1_001_000);
  assert.equal(store.getEarliestMessageTime(), 1_001_000);
  assert.ok(store.getCommitLogOffsetInQueue('TopicTime', 0, 1) > 0);
  const info = store.getRuntimeInfo();
  assert.equal(info.putMessageTimesTotal, 6);
  assert.equal(info.dispatchBehindBytes, 0);
  assert.equal(info.commitLogMaxOffset, info.dispatchFromOffset);
  await store.shutdown();
});

test('under SYNC_FLUSH nothing past the flushed offset is dispatched or readable (rocketmq#8239)', async (t) => {
  // While `blocked`, every fdatasync (group commit or periodic flush) waits until released.
  const waiting: Array<() => void> = [];
  let blocked = false;
  const fdatasync = (): Promise<void> => (blocked ? new Promise<void>((r) => waiting.push(r)) : Promise.resolve());
  const release = (): void => {
    blocked = false;
    for (const r of waiting.splice(0)) r();
  };
  t.after(release); // runs first: a failed assertion must not leave the store's shutdown waiting on a stalled sync
  const config = storeConfig(t, { flushDiskType: 'SYNC_FLUSH' });
  const store = newStore(config, { fdatasync });
  await store.start();
  const first = await store.putMessage(msg('TopicSync', 0, 'flushed'));
  assert.equal(first.status, PutMessageStatus.PUT_OK);
  await new Promise((r) => setImmediate(r));
  assert.equal(store.getMaxOffsetInQueue('TopicSync', 0), 1);
  blocked = true;
  const pending = store.putMessage(msg('TopicSync', 0, 'not yet flushed'));
  for (let i = 0; i < 2000 && waiting.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(waiting.length > 0, 'the group commit is waiting in fdatasync');
  store.dispatchNow();
  assert.equal(store.getMaxOffsetInQueue('TopicSync', 0), 1, 'not dispatched before the flush');
  assert.ok(store.getMaxPhyOffset() > store.getConfirmOffset());
  assert.equal(store.lookMessageByOffset(first.wroteOffset + first.wroteBytes), undefined);
  assert.equal(store.getMessage('g', 'TopicSync', 0, 1, 32, BIG).status, GetMessageStatus.OFFSET_OVERFLOW_ONE);
  release();
  const second = await pending;
  assert.equal(second.status, PutMessageStatus.PUT_OK);
  await new Promise((r) => setImmediate(r));
  assert.equal(store.getMaxOffsetInQueue('TopicSync', 0), 2);
  assert.ok(store.lookMessageByOffset(second.wroteOffset));
  await store.shutdown();
});

test('batch put gets consecutive queue offsets; deleteTopics removes queues', async (t) => {
  const config = storeConfig(t);
  const store = newStore(config);
  await store.start();
  const r = await store.putMessages([msg('TopicB', 3, 'a'), msg('TopicB', 3, 'b'), msg('TopicB', 3, 'c')]);
  assert.equal(r.status, PutMessageStatus.PUT_OK);
  assert.equal(r.msgNum, 3);
  store.dispatchNow();
  assert.deepEqual(bodies(store.getMessage('g', 'TopicB', 3, 0, 32, BIG).messages), ['a', 'b', 'c']);
  assert.deepEqual(store.topics(), ['TopicB']);
  assert.deepEqual(store.queueIds('TopicB'), [3]);
  assert.equal(store.deleteTopics(['TopicB', 'Nope']), 1);
  assert.deepEqual(store.topics(), []);
  assert.equal(store.getMaxOffsetInQueue('TopicB', 3), 0);
  await store.shutdown();
  const closed = await store.putMessage(msg('TopicB', 3, 'late'));
  assert.equal(closed.status, PutMessageStatus.SERVICE_NOT_AVAILABLE);
});
