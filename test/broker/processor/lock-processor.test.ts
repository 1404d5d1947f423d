// LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42) over TCP with two consumer connections: exclusive queue locks, the 60 s
// lease (manual broker clock), unlock by the holder only, and release when the holder's connection closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeLockBatchResponseBody,
  encodeLockBatchRequestBody,
} from '../../../src/remoting/protocol/body/lock-batch-body.ts';
import type { MessageQueue } from '../../../src/remoting/protocol/body/message-queue.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import { TxBroker, uniq } from '../transaction/tx-harness.ts';

function mqs(topic: string, ...ids: number[]): MessageQueue[] {
  return ids.map((queueId) => ({ topic, brokerName: 'broker-tx', queueId }));
}

async function lock(t: TxBroker, client: RemotingClient, clientId: string, group: string, set: MessageQueue[]): Promise<number[]> {
  const body = encodeLockBatchRequestBody({ clientId, consumerGroup: group, mqSet: set, onlyThisBroker: false });
  const r = await t.invoke(RequestCode.LOCK_BATCH_MQ, {}, body, client);
  assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
  return decodeLockBatchResponseBody(r.body).map((q) => q.queueId).sort();
}

async function unlock(t: TxBroker, client: RemotingClient, clientId: string, group: string, set: MessageQueue[]): Promise<void> {
  const body = encodeLockBatchRequestBody({ clientId, consumerGroup: group, mqSet: set, onlyThisBroker: false });
  const r = await t.invoke(RequestCode.UNLOCK_BATCH_MQ, {}, body, client);
  assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
}

test('two clients: a held queue is not granted to the other; unlock by the holder only; lease expiry', async () => {
  const t = await TxBroker.start();
  const c1 = new RemotingClient();
  const c2 = new RemotingClient();
  try {
    const topic = uniq('T_lock');
    const group = uniq('CG_lock');
    const locks = t.broker.rebalanceLockManager;
    assert.equal(locks.isLockedByAny(group), false);
    assert.deepEqual(await lock(t, c1, 'cid-1', group, mqs(topic, 0, 1)), [0, 1]);
    assert.equal(locks.isLockedByAny(group), true);
    assert.deepEqual(await lock(t, c2, 'cid-2', group, mqs(topic, 1, 2)), [2], 'queue 1 is held by cid-1');
    assert.deepEqual(await lock(t, c1, 'cid-1', group, mqs(topic, 0, 1, 2)), [0, 1], 'renewal keeps 0 and 1; 2 is taken');
    // Another group is independent.
    assert.deepEqual(await lock(t, c2, 'cid-2', uniq('CG_other'), mqs(topic, 0, 1)), [0, 1]);

    await unlock(t, c2, 'cid-2', group, mqs(topic, 0, 2)); // 0 is not cid-2's: ignored
    assert.equal(locks.holderOf(group, mqs(topic, 0)[0]), 'cid-1');
    assert.deepEqual(await lock(t, c1, 'cid-1', group, mqs(topic, 2)), [2], 'released by its holder');

    t.clock.advance(59_000);
    assert.deepEqual(await lock(t, c2, 'cid-2', group, mqs(topic, 0)), [], 'lease still running');
    assert.deepEqual(await lock(t, c1, 'cid-1', group, mqs(topic, 0)), [0], 'renewed at 59 s');
    t.clock.advance(59_000);
    assert.deepEqual(await lock(t, c2, 'cid-2', group, mqs(topic, 0, 1)), [1], 'queue 1 (not renewed) expired; 0 renewed at 59 s');
    t.clock.advance(2_000);
    assert.deepEqual(await lock(t, c2, 'cid-2', group, mqs(topic, 0, 2)), [0, 2], 'the renewal of queue 0 ran out too');
    t.clock.advance(60_001);
    assert.equal(locks.isLockedByAny(group), false, 'every lease ran out');
  } finally {
    await c1.shutdown();
    await c2.shutdown();
    await t.close();
  }
});

test("a holder's locks vanish when its connection closes; malformed bodies are refused", async () => {
  const t = await TxBroker.start();
  const c1 = new RemotingClient();
  const c2 = new RemotingClient();
  try {
    const topic = uniq('T_close');
    const group = uniq('CG_close');
    assert.deepEqual(await lock(t, c1, 'cid-1', group, mqs(topic, 0, 1)), [0, 1]);
    assert.deepEqual(await lock(t, c2, 'cid-2', group, mqs(topic, 0, 1)), []);
    await c1.shutdown();
    const locks = t.broker.rebalanceLockManager;
    const deadline = Date.now() + 10_000;
    while (locks.isLockedByAny(group) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(locks.isLockedByAny(group), false, 'released with the connection');
    assert.deepEqual(await lock(t, c2, 'cid-2', group, mqs(topic, 0, 1)), [0, 1]);

    const bad = await t.invoke(RequestCode.LOCK_BATCH_MQ, {}, Buffer.from('{"mqSet":5}'), c2);
    assert.equal(bad.code, ResponseCode.SYSTEM_ERROR);
    assert.match(bad.remark ?? '', /LockBatchRequestBody/);
    const noClient = await t.invoke(RequestCode.LOCK_BATCH_MQ, {}, Buffer.from(`{"consumerGroup":"${group}","mqSet":[]}`), c2);
    assert.equal(noClient.code, ResponseCode.INVALID_PARAMETER);
    const empty = await t.invoke(RequestCode.UNLOCK_BATCH_MQ, {}, undefined, c2);
    assert.equal(empty.code, ResponseCode.SYSTEM_ERROR);
  } finally {
    await c2.shutdown();
    await t.close();
  }
});
