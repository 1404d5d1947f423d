// End to end against the in-process NameServer + Broker: our Producer in, our consumers out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LitePullConsumer } from '../../../src/client/consumer/lite-pull-consumer.ts';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import { Producer } from '../../../src/client/producer/producer.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';
import { until } from '../helpers.ts';

function clientOf(h: BrokerHarness, name: string): { namesrvAddr: string; instanceName: string; clientIP: string } {
  return { namesrvAddr: h.namesrvAddr, instanceName: uniq(name), clientIP: '127.0.0.1' };
}

async function produce(h: BrokerHarness, topic: string, bodies: Array<[string, string]>): Promise<void> {
  const p = new Producer({ ...clientOf(h, 'p'), group: uniq('PG') });
  await p.start();
  try {
    for (const [body, tags] of bodies) await p.send({ topic, body, tags });
  } finally {
    await p.shutdown();
  }
}

test('push consumer end to end: tag subscription, restart resumes from the committed offset without duplicates', async () => {
  const h = await BrokerHarness.start();
  try {
    const topic = uniq('E2E');
    const group = uniq('CG');
    const first: Array<[string, string]> = Array.from({ length: 12 }, (_, i) => [`one-${i}`, ['A', 'B', 'C'][i % 3]]);
    await produce(h, topic, first);
    const got: string[] = [];
    const c1 = new PushConsumer({ ...clientOf(h, 'c1'), group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    c1.subscribe(topic, 'A || B').onMessage((msgs) => {
      for (const m of msgs) got.push(m.body.toString());
    });
    await c1.start();
    await until(() => got.length >= 8, 'the 8 A/B messages', 2_000_000);
    await c1.shutdown();
    assert.deepEqual([...got].sort(), first.filter(([, t]) => t !== 'C').map(([b]) => b).sort());

    await produce(h, topic, Array.from({ length: 6 }, (_, i) => [`two-${i}`, ['A', 'C'][i % 2]]));
    const again: string[] = [];
    const c2 = new PushConsumer({ ...clientOf(h, 'c2'), group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    c2.subscribe(topic, 'A || B').onMessage((msgs) => {
      for (const m of msgs) again.push(m.body.toString());
    });
    await c2.start();
    await until(() => again.length >= 3, 'the 3 new A messages', 2_000_000);
    // Give a duplicate a chance to show up: one more produced message marks the end of the stream.
    await produce(h, topic, [['end', 'B']]);
    await until(() => again.includes('end'), 'end marker', 2_000_000);
    await c2.shutdown();
    assert.deepEqual(again.sort(), ['end', 'two-0', 'two-2', 'two-4']);
  } finally {
    await h.close();
  }
});

test('broadcasting end to end: two consumers both get every message', async () => {
  const h = await BrokerHarness.start();
  const dir = mkdtempSync(join(tmpdir(), 'rmq-ts-e2e-bcast-'));
  try {
    const topic = uniq('E2EB');
    const group = uniq('CGB');
    await produce(h, topic, [['warmup', 'A']]);
    const got = [new Set<string>(), new Set<string>()];
    const consumers = [0, 1].map((i) => {
      const c = new PushConsumer({
        ...clientOf(h, `b${i}`),
        group,
        messageModel: 'BROADCASTING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        offsetStoreFile: join(dir, `c${i}.json`),
      });
      c.subscribe(topic).onMessage((msgs) => {
        for (const m of msgs) got[i].add(m.body.toString());
      });
      return c;
    });
    for (const c of consumers) await c.start();
    await produce(h, topic, Array.from({ length: 8 }, (_, i) => [`m${i}`, 'A']));
    await until(() => got[0].size === 9 && got[1].size === 9, 'both consumers got all 9', 2_000_000);
    for (const c of consumers) await c.shutdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  }
});

test('lite pull end to end: subscribe, poll, seek back, commit', async () => {
  const h = await BrokerHarness.start();
  try {
    const topic = uniq('E2EL');
    const group = uniq('CGL');
    await produce(h, topic, Array.from({ length: 5 }, (_, i) => [`m${i}`, 'A']));
    const c = new LitePullConsumer({ ...clientOf(h, 'l'), group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false });
    c.subscribe(topic);
    await c.start();
    const got: Array<{ body: string; mq: { topic: string; brokerName: string; queueId: number }; offset: number }> = [];
    while (got.length < 5) {
      for (const m of await c.poll(5_000)) got.push({ body: m.body.toString(), mq: { topic, brokerName: m.brokerName, queueId: m.queueId }, offset: m.queueOffset });
    }
    assert.deepEqual(got.map((g) => g.body).sort(), ['m0', 'm1', 'm2', 'm3', 'm4']);
    await c.commitSync();
    const one = got[0];
    assert.equal(await c.committed(one.mq), Math.max(...got.filter((g) => g.mq.queueId === one.mq.queueId).map((g) => g.offset)) + 1);
    await c.seek(one.mq, one.offset);
    const replay = await c.poll(5_000);
    assert.equal(replay[0]?.body.toString(), one.body);
    await c.shutdown();
  } finally {
    await h.close();
  }
});
