import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LitePullConsumer } from '../../../src/client/consumer/lite-pull-consumer.ts';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import { ConsumeOrderlyStatus } from '../../../src/client/consumer/listener.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { FakeNamesrv, routeOf, uniqueName, until } from '../helpers.ts';
import { FakeConsumerBroker } from './fake-consumer-broker.ts';

async function setup(queues: number): Promise<{ ns: FakeNamesrv; broker: FakeConsumerBroker; topic: string; group: string; close: () => Promise<void> }> {
  const ns = new FakeNamesrv();
  const broker = new FakeConsumerBroker();
  await ns.start();
  await broker.start();
  const topic = uniqueName('T');
  const group = uniqueName('G');
  ns.routes.set(topic, routeOf([{ name: broker.name, addr: broker.address, queues }]));
  ns.routes.set(`%RETRY%${group}`, routeOf([{ name: broker.name, addr: broker.address, queues: 1 }]));
  return {
    ns,
    broker,
    topic,
    group,
    close: async () => {
      await broker.shutdown();
      await ns.shutdown();
    },
  };
}

test('orderly: locks queues, consumes one queue in order, retries a failure locally, unlocks at shutdown', async () => {
  const s = await setup(2);
  try {
    s.broker.put(s.topic, 0, ['a', 'b', 'c', 'd'].map((body) => ({ body })));
    s.broker.put(s.topic, 1, [{ body: 'other' }]);
    // Queue 1 is held by someone else: this consumer must not consume it.
    s.broker.locks.set(`${s.topic}:1`, 'someone-else');
    const seen: Array<[string, number]> = [];
    let failedOnce = false;
    let active = 0;
    let overlap = false;
    const c = new PushConsumer({
      namesrvAddr: s.ns.address,
      instanceName: uniqueName('inst'),
      clientIP: '127.0.0.1',
      group: s.group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      suspendCurrentQueueTimeMillis: 10,
    });
    c.subscribe(s.topic).registerMessageListenerOrderly(async (msgs, ctx) => {
      active++;
      if (active > 1) overlap = true;
      await new Promise((r) => setImmediate(r));
      active--;
      const m = msgs[0];
      seen.push([m.body.toString(), m.reconsumeTimes]);
      assert.equal(ctx.mq.queueId, 0);
      if (m.body.toString() === 'b' && !failedOnce) {
        failedOnce = true;
        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
      }
      return undefined;
    });
    await c.start();
    await until(() => seen.length >= 5, 'a, b (failed), b, c, d');
    assert.deepEqual(seen, [['a', 0], ['b', 0], ['b', 1], ['c', 0], ['d', 0]]);
    assert.equal(overlap, false, 'one listener call at a time per queue');
    assert.ok(s.broker.received(RequestCode.LOCK_BATCH_MQ).length >= 1);
    assert.equal(s.broker.locks.get(`${s.topic}:0`)?.startsWith('127.0.0.1@'), true);
    assert.equal(c.assignedQueues().some((q) => q.topic === s.topic && q.queueId === 1), false);
    await c.lockAll();
    await c.shutdown();
    assert.equal(s.broker.committed(s.group, s.topic, 0), 4);
    assert.equal(s.broker.locks.has(`${s.topic}:0`), false, 'unlocked at shutdown');
    assert.equal(s.broker.locks.get(`${s.topic}:1`), 'someone-else');
    assert.equal(s.broker.received(RequestCode.CONSUMER_SEND_MSG_BACK).length, 0, 'orderly retries locally');
  } finally {
    await s.close();
  }
});

test('lite pull: assign, poll, seek, commitSync', async () => {
  const s = await setup(1);
  try {
    s.broker.put(s.topic, 0, ['m0', 'm1', 'm2', 'm3', 'm4'].map((body) => ({ body, tags: 'A' })));
    const c = new LitePullConsumer({
      namesrvAddr: s.ns.address,
      instanceName: uniqueName('inst'),
      clientIP: '127.0.0.1',
      group: s.group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      autoCommit: false,
      pullBatchSize: 2,
    });
    const mq = { topic: s.topic, brokerName: s.broker.name, queueId: 0 };
    c.assign([mq]);
    await c.start();
    assert.deepEqual(await c.fetchMessageQueues(s.topic), [mq]);
    const first = await c.poll(5_000);
    assert.deepEqual(first.map((m) => m.body.toString()), ['m0', 'm1']);
    await c.commitSync();
    assert.equal(s.broker.committed(s.group, s.topic, 0), 2);
    assert.equal(await c.committed(mq), 2);
    await c.seek(mq, 4);
    const after = await c.poll(5_000);
    assert.deepEqual(after.map((m) => m.body.toString()), ['m4']);
    await c.seek(mq, 1);
    const again = await c.poll(5_000);
    assert.deepEqual(again.map((m) => m.body.toString()), ['m1', 'm2']);
    await assert.rejects(c.seek(mq, 99), /outside/);
    const ac = new AbortController();
    ac.abort();
    assert.deepEqual(await c.poll(5_000, { signal: ac.signal }), [], 'an aborted poll returns nothing, even with messages cached');
    await c.commitSync();
    assert.equal(s.broker.committed(s.group, s.topic, 0), 3);
    const hb = JSON.parse(s.broker.received(RequestCode.HEART_BEAT)[0].body?.toString() ?? '') as { consumerDataSet: Array<{ consumeType: string }> };
    assert.equal(hb.consumerDataSet[0].consumeType, 'CONSUME_ACTIVELY');
    await c.shutdown();
  } finally {
    await s.close();
  }
});

test('lite pull: subscribe rebalances and polls only matching tags', async () => {
  const s = await setup(2);
  try {
    s.broker.put(s.topic, 0, [{ body: 'x', tags: 'A' }, { body: 'y', tags: 'B' }]);
    s.broker.put(s.topic, 1, [{ body: 'z', tags: 'A' }]);
    const c = new LitePullConsumer({
      namesrvAddr: s.ns.address,
      instanceName: uniqueName('inst'),
      clientIP: '127.0.0.1',
      group: s.group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    });
    c.subscribe(s.topic, 'A');
    await c.start();
    assert.equal(c.assignment().length, 2);
    const got: string[] = [];
    while (got.length < 2) for (const m of await c.poll(5_000)) got.push(m.body.toString());
    assert.deepEqual(got.sort(), ['x', 'z']);
    await c.shutdown();
    // autoCommit (default) commits at shutdown: the filtered 'y' is not re-pulled later.
    assert.equal(s.broker.committed(s.group, s.topic, 0), 2);
    assert.equal(s.broker.committed(s.group, s.topic, 1), 1);
  } finally {
    await s.close();
  }
});
