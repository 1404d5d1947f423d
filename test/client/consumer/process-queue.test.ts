import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessQueue } from '../../../src/client/consumer/process-queue.ts';
import type { MessageExt } from '../../../src/client/consumer/message-ext.ts';

function msg(offset: number, size = 10): MessageExt {
  return {
    topic: 'T', body: Buffer.alloc(size), tags: undefined, keys: [], properties: {}, msgId: `id${offset}`, offsetMsgId: `o${offset}`,
    brokerName: 'b', queueId: 0, queueOffset: offset, commitLogOffset: offset * 100, storeTimestamp: 0, bornTimestamp: 0,
    bornHost: '1.2.3.4:5', storeHost: '1.2.3.4:6', reconsumeTimes: 0, flag: 0, sysFlag: 0, bodyCrc: 0, storeSize: 0,
    preparedTransactionOffset: 0,
  };
}

test('commit offset is the smallest offset still in flight, or max+1 when all are done', () => {
  const pq = new ProcessQueue();
  assert.equal(pq.removeMessages([msg(1)]), -1, 'nothing cached: nothing to commit');
  const { added } = pq.putMessages([msg(10), msg(11), msg(12), msg(13)]);
  assert.equal(added.length, 4);
  assert.equal(pq.putMessages([msg(12)]).added.length, 0, 'duplicates are ignored');
  assert.equal(pq.msgCount, 4);
  assert.equal(pq.msgSize, 40);
  assert.equal(pq.maxSpan(), 3);
  // 12 and 13 finish first: 10 is still in flight.
  assert.equal(pq.removeMessages([msg(12), msg(13)]), 10);
  assert.equal(pq.commitOffset(), 10);
  assert.equal(pq.removeMessages([msg(10)]), 11);
  assert.equal(pq.removeMessages([msg(11)]), 14);
  assert.equal(pq.msgCount, 0);
  assert.equal(pq.msgSize, 0);
  assert.equal(pq.commitOffset(), -1);
});

test('orderly: take in order, roll back to the front, commit highest taken + 1', () => {
  const pq = new ProcessQueue();
  assert.equal(pq.putMessages([msg(5), msg(6), msg(7)]).dispatch, true);
  assert.equal(pq.putMessages([msg(8)]).dispatch, false, 'a consume loop is already dispatched');
  const first = pq.takeMessages(2);
  assert.deepEqual(first.map((m) => m.queueOffset), [5, 6]);
  assert.equal(pq.commitOffset(), 5);
  pq.rollbackOrderly();
  assert.deepEqual(pq.takeMessages(1).map((m) => m.queueOffset), [5]);
  assert.equal(pq.commitOrderly(), 6);
  assert.deepEqual(pq.takeMessages(10).map((m) => m.queueOffset), [6, 7, 8]);
  assert.equal(pq.commitOrderly(), 9);
  assert.deepEqual(pq.takeMessages(1), []);
  assert.equal(pq.consuming, false);
  assert.equal(pq.msgSize, 0);
});

test('expired in-flight messages and lock expiry', () => {
  const pq = new ProcessQueue();
  pq.putMessages([msg(1), msg(2), msg(3)]);
  pq.markConsumeStart([msg(1)], 1000);
  pq.markConsumeStart([msg(2)], 5000);
  assert.deepEqual(pq.expiredInFlight(2000).map((m) => m.queueOffset), [1]);
  pq.lastLockTimestamp = 1000;
  assert.equal(pq.isLockExpired(30_000, 30_000), false);
  assert.equal(pq.isLockExpired(30_000, 31_001), true);
});
