// An operator's day with the CLI alone (plus an application consumer): create a topic, send, consume, inspect
// progress, rewind the group with resetOffsetByTime and watch the messages come again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushConsumer } from '../../src/client/consumer/push-consumer.ts';
import { uniq } from '../integration/broker-harness.ts';
import { until } from '../client/helpers.ts';
import { arr, mqadmin, mqadminJson, obj, startHarness } from './cli-harness.ts';

test('updateTopic → sendMessage → consume → consumerProgress → resetOffsetByTime → consumed again', async () => {
  const h = await startHarness();
  const consumers: PushConsumer[] = [];
  try {
    const topic = uniq('OpsTopic');
    const group = uniq('OpsGroup');
    const created = await mqadmin(h.namesrvAddr, 'updateTopic', '-c', 'ClusterT', '-t', topic, '-r', '2', '-w', '2');
    assert.equal(created.code, 0, created.err);
    await h.broker.registerBrokerAll();
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = obj(await mqadminJson(h.namesrvAddr, 'sendMessage', '-t', topic, '-p', `ops-${i}`, '-k', `key-${i}`, '-c', 'TagOps'));
      assert.equal(r.status, 'SEND_OK');
      sent.push(`ops-${i}`);
    }
    h.dispatch();

    const consume = async (into: string[]): Promise<PushConsumer> => {
      const c = new PushConsumer({
        namesrvAddr: h.namesrvAddr,
        instanceName: uniq('ops'),
        clientIP: '127.0.0.1',
        group,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        // A reset reaches a consumer as code 21 on its next pull; Java then restarts the queue after 10 s plus a
        // rebalance. Short here so the test does not wait for them.
        offsetMovedDelay: 1,
        rebalanceInterval: 500,
      });
      consumers.push(c);
      c.subscribe(topic, 'TagOps').onMessage((msgs) => {
        for (const m of msgs) into.push(m.body.toString());
      });
      await c.start();
      return c;
    };
    const first: string[] = [];
    const c1 = await consume(first);
    await until(() => first.length >= 6, 'six messages consumed', 2_000_000);
    await c1.shutdown(); // commits the offsets
    assert.deepEqual([...first].sort(), sent);

    const progress = obj(await mqadminJson(h.namesrvAddr, 'consumerProgress', '-g', group));
    assert.equal(progress.totalDiff, 0);
    assert.deepEqual(arr(progress.rows).map((r) => obj(r).consumerOffset).reduce((a, b) => Number(a) + Number(b), 0), 6);
    const table = await mqadmin(h.namesrvAddr, 'consumerProgress', '-g', group);
    assert.match(table.out, /Consume Diff Total: 0/);

    const reset = await mqadmin(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', '0');
    assert.equal(reset.code, 0, reset.err);
    const after = obj(await mqadminJson(h.namesrvAddr, 'consumerProgress', '-g', group));
    assert.equal(after.totalDiff, 6);

    const second: string[] = [];
    const c2 = await consume(second);
    await until(() => second.length >= 6, 'six messages consumed again', 20_000_000)
    await c2.shutdown();
    assert.deepEqual([...second].sort(), sent);
    const done = obj(await mqadminJson(h.namesrvAddr, 'consumerProgress', '-g', group));
    assert.equal(done.totalDiff, 0);

    // With the consumer online, the broker hands the reset to it on its next pull.
    const third: string[] = [];
    await consume(third);
    await mqadmin(h.namesrvAddr, 'consumerConnection', '-g', group).then((r) => assert.equal(r.code, 0, r.err));
    const online = obj(await mqadminJson(h.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', '0'));
    assert.ok(arr(online.rows).every((r) => obj(r).via === 'broker'), JSON.stringify(online));
    // A pull held by long polling only sees the reset when it returns; a new message in each queue returns it now.
    for (const q of ['0', '1']) {
      const w = await mqadmin(h.namesrvAddr, 'sendMessage', '-t', topic, '-p', `wake-${q}`, '-c', 'TagOps', '-b', 'broker-t', '-i', q);
      assert.equal(w.code, 0, w.err);
    }
    h.dispatch();
    const wanted = [...sent, 'wake-0', 'wake-1'];
    await until(() => wanted.every((b) => third.includes(b)), 'every message consumed after an online reset', 20_000_000);
    assert.deepEqual([...new Set(third)].sort(), wanted.sort());
  } finally {
    for (const c of consumers) await c.shutdown();
    await h.close();
  }
});
