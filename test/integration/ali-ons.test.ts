// The npm client ali-ons (a real third-party RocketMQ client, devDependency) against our NameServer + Broker in this
// process: keys and tags, a tag subscription consumed exactly once, a non-subscribed tag never even pulled (spy on
// the raw pull results, since ali-ons also filters on its side), a consumer restart resumes from the committed
// offset, and a broker restart keeps messages and offsets. Facts: ../shared/reference/real-clients.md §1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerHarness, uniq } from './broker-harness.ts';
import { ons, onsLog, onsOptions, waitUntil } from './acceptance/ali-ons-client.ts';
import type { OnsClientBase, OnsConsumer, OnsMessage, OnsProducer } from './acceptance/ali-ons-client.ts';

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Tracked {
  consumer: OnsConsumer;
  received: OnsMessage[];
  /** Tags of every message in a raw pull result, before ali-ons' own tag filter. */
  pulledTags: string[];
}

async function startConsumer(h: BrokerHarness, group: string, topic: string, expr: string): Promise<Tracked> {
  const consumer = new ons.Consumer({ ...onsOptions(h.namesrvAddr), consumerGroup: group, brokerSuspendMaxTimeMillis: 2000 });
  consumer.on('error', (e) => onsLog.push(`consumer error ${String(e)}`));
  const t: Tracked = { consumer, received: [], pulledTags: [] };
  const original = consumer.pullKernelImpl.bind(consumer);
  consumer.pullKernelImpl = async (...args: unknown[]) => {
    const r = await original(...args);
    for (const m of r.msgFoundList ?? []) if (m.topic === topic) t.pulledTags.push(String(m.tags));
    return r;
  };
  consumer.subscribe(topic, expr, async (msg) => {
    t.received.push(msg);
  });
  await consumer.ready();
  return t;
}

async function sendAll(producer: OnsProducer, topic: string, from: number, count: number, tags: readonly string[]): Promise<Map<string, string>> {
  const keyToTag = new Map<string, string>();
  for (let i = from; i < from + count; i++) {
    const tag = tags[i % tags.length];
    const msg = new ons.Message(topic, tag, `body-${i}`);
    msg.keys = [`key-${i}`];
    const r = await producer.send(msg);
    assert.equal(r.sendStatus, 'SEND_OK');
    assert.match(r.msgId, /^7F000001[0-9A-F]{24}$/);
    keyToTag.set(`key-${i}`, tag);
  }
  return keyToTag;
}

function keyOf(m: OnsMessage): string {
  return Array.isArray(m.keys) ? m.keys.join(' ') : String(m.keys);
}

test('ali-ons produces and consumes through rocketmq-ts: tags, exactly once, consumer and broker restart', async () => {
  const h = await BrokerHarness.start();
  const producer = new ons.Producer({ ...onsOptions(h.namesrvAddr), producerGroup: uniq('PID_ons') });
  producer.on('error', (e) => onsLog.push(`producer error ${String(e)}`));
  const open: OnsClientBase[] = [producer];
  try {
    const topic = uniq('TP_ons');
    const group = uniq('GID_ons');
    h.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
    await h.broker.registerBrokerAll(); // ali-ons cannot auto-create topics (real-clients.md §1.3)
    await producer.ready();

    // Phase 1: 24 messages over TagA/TagB/TagC; the consumer subscribes to TagA || TagB.
    const sent1 = await sendAll(producer, topic, 0, 24, ['TagA', 'TagB', 'TagC']);
    const wanted1 = [...sent1].filter(([, tag]) => tag !== 'TagC').map(([k]) => k);
    const c1 = await startConsumer(h, group, topic, 'TagA || TagB');
    open.push(c1.consumer);
    await waitUntil('phase-1 messages', () => c1.received.length >= wanted1.length);
    await settle(1500); // a few more pull/rebalance rounds: nothing may arrive twice
    assert.deepEqual(c1.received.map(keyOf).sort(), [...wanted1].sort(), 'each TagA/TagB message exactly once');
    for (const m of c1.received) assert.equal(m.body.toString(), `body-${keyOf(m).slice(4)}`);
    assert.ok(c1.pulledTags.length >= wanted1.length, 'the spy saw the pulls');
    assert.ok(!c1.pulledTags.includes('TagC'), `the broker never returned a TagC message: ${c1.pulledTags.join(',')}`);

    await c1.consumer.close();
    open.splice(open.indexOf(c1.consumer), 1);
    // Committed offsets cover every delivered message (ali-ons commits a filtered-out tail only on its next pull).
    for (const m of c1.received) {
      const committed = h.broker.consumerOffsetManager.queryOffset(group, topic, m.queueId);
      assert.ok(committed > m.queueOffset, `queue ${m.queueId}: committed ${committed} covers offset ${m.queueOffset}`);
      assert.ok(committed <= h.broker.store.getMaxOffsetInQueue(topic, m.queueId));
    }

    // Phase 2: consumer restart resumes from the committed offset: only the new messages arrive.
    const sent2 = await sendAll(producer, topic, 24, 8, ['TagA', 'TagB']);
    const c2 = await startConsumer(h, group, topic, 'TagA || TagB');
    open.push(c2.consumer);
    await waitUntil('phase-2 messages', () => c2.received.length >= sent2.size);
    await settle(1000);
    assert.deepEqual(c2.received.map(keyOf).sort(), [...sent2.keys()].sort());
    await c2.consumer.close();
    open.splice(open.indexOf(c2.consumer), 1);

    // Phase 3: broker restart (same port) keeps messages and offsets.
    await h.restartBroker();
    const sent3 = await sendAll(producer, topic, 32, 4, ['TagB']);
    const c3 = await startConsumer(h, group, topic, 'TagA || TagB');
    open.push(c3.consumer);
    await waitUntil('phase-3 messages', () => c3.received.length >= sent3.size);
    await settle(1000);
    assert.deepEqual(c3.received.map(keyOf).sort(), [...sent3.keys()].sort(), 'old messages not redelivered after restart');

    const fresh = await startConsumer(h, uniq('GID_fresh'), topic, 'TagA || TagB');
    open.push(fresh.consumer);
    const all = [...wanted1, ...sent2.keys(), ...sent3.keys()];
    await waitUntil('every stored TagA/TagB message for a new group', () => fresh.received.length >= all.length);
    assert.deepEqual(fresh.received.map(keyOf).sort(), [...all].sort(), 'messages kept across the restart');
  } finally {
    for (const c of open.reverse()) await c.close().catch(() => undefined);
    // ali-ons' hidden CLIENT_INNER_PRODUCER is never closed by the client itself and would keep this process alive.
    await ons.Producer.defaultProducer?.close().catch(() => undefined);
    ons.Producer.defaultProducer = null;
    await h.close();
  }
});
