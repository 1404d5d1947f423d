// Interop with the npm client ali-ons (a real third-party RocketMQ client) through our NameServer + Broker:
// - produced by ali-ons, consumed by our PushConsumer: tags (with a tag filter), keys, bodies, including a ≥ 4 KiB body
//   that ali-ons zlib-deflates (sysFlag bit 0, real-clients.md §1.3) and our consumer inflates;
// - produced by our Producer, consumed by ali-ons: tags, keys (space-joined KEYS), and a ≥ 4 KiB body our producer
//   compresses (sysFlag COMPRESSED|ZLIB) and ali-ons inflates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import type { MessageExt } from '../../../src/client/consumer/message-ext.ts';
import { BrokerHarness, decodeBody, uniq } from '../../integration/broker-harness.ts';
import { closeAll, newMessage, onsLogTail, startConsumer as startOnsConsumer, startProducer as startOnsProducer } from '../../integration/acceptance/ali-ons-client.ts';
import { clientOf, startProducer, waitFor } from './e2e-helpers.ts';

/** A ≥ 4 KiB body that compresses well but is not trivial (hex text of random bytes, repeated). */
function bigBody(seed: string): string {
  const chunk = `${seed}:${randomBytes(256).toString('hex')}|`;
  return chunk.repeat(Math.ceil(6000 / chunk.length));
}

test('ali-ons produces, our PushConsumer consumes: tags, keys, bodies (zlib ≥ 4 KiB)', async () => {
  const h = await BrokerHarness.start();
  let consumer: PushConsumer | undefined;
  try {
    const topic = uniq('TP_interop_in');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    await h.broker.registerBrokerAll(); // ali-ons cannot auto-create topics
    const got: MessageExt[] = [];
    consumer = new PushConsumer({ ...clientOf(h.namesrvAddr, 'in'), group: uniq('CG_interop_in'), consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', brokerSuspendMaxTimeMillis: 1000 });
    consumer.subscribe(topic, 'TagA || TagB').onMessage((msgs) => void got.push(...msgs));
    await consumer.start();

    const producer = await startOnsProducer(h.namesrvAddr, uniq('PID_interop'));
    const big = bigBody('ons');
    const expected = new Map<string, { tag: string; body: string }>();
    for (let i = 0; i < 9; i++) {
      const tag = ['TagA', 'TagB', 'TagC'][i % 3];
      const body = i === 4 ? big : `ons-body-${i}`;
      const r = await producer.send(newMessage(topic, tag, body, { keys: [`ons-k${i}`, `extra${i}`] }));
      assert.equal(r.sendStatus, 'SEND_OK');
      if (tag !== 'TagC') expected.set(`ons-k${i} extra${i}`, { tag, body });
    }
    await waitFor('the TagA/TagB messages', () => got.length >= expected.size, 15_000, onsLogTail);
    await new Promise((r) => setTimeout(r, 500)); // no TagC, no duplicate may follow
    assert.equal(got.length, expected.size);
    for (const m of got) {
      const e = expected.get(m.keys.join(' '));
      assert.ok(e !== undefined, `unexpected message keys=${m.keys.join(' ')} tags=${m.tags}`);
      assert.equal(m.tags, e.tag);
      assert.equal(m.body.toString(), e.body);
      assert.equal(m.topic, topic);
    }
    const bigOne = got.find((m) => m.body.length >= 4096);
    assert.ok(bigOne, 'the big message arrived');
    assert.equal(bigOne.sysFlag & 1, 1, 'ali-ons compressed the big body (sysFlag bit 0); we inflated it');
    assert.ok(got.filter((m) => m !== bigOne).every((m) => (m.sysFlag & 1) === 0));
  } finally {
    await consumer?.shutdown();
    await closeAll();
    await h.close();
  }
});

test('our Producer produces, ali-ons consumes: tags, keys, compressed body', async () => {
  const h = await BrokerHarness.start();
  const producer = await startProducer(h);
  try {
    const topic = uniq('TP_interop_out');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    await h.broker.registerBrokerAll();
    const ons = await startOnsConsumer(h.namesrvAddr, uniq('GID_interop_out'), topic, 'TagX || TagY', { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });

    const big = bigBody('ours');
    const expected = new Map<string, { tag: string; body: string }>();
    let bigSend: { queueId: number; queueOffset: number } | undefined;
    for (let i = 0; i < 9; i++) {
      const tag = ['TagX', 'TagY', 'TagZ'][i % 3];
      const body = i === 3 ? big : `our-body-${i}`;
      const r = await producer.send({ topic, body, tags: tag, keys: [`our-k${i}`, `more${i}`], properties: { origin: 'rocketmq-ts' } });
      if (i === 3) bigSend = { queueId: r.messageQueue.queueId, queueOffset: r.queueOffset };
      if (tag !== 'TagZ') expected.set(`our-k${i} more${i}`, { tag, body });
    }
    await waitFor('ali-ons got the TagX/TagY messages', () => ons.received.length >= expected.size, 20_000, onsLogTail);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(ons.received.length, expected.size);
    for (const m of ons.received) {
      const e = expected.get(String(m.keys));
      assert.ok(e !== undefined, `unexpected message keys=${String(m.keys)} tags=${String(m.tags)}`);
      assert.equal(m.tags, e.tag);
      assert.equal(m.body.toString(), e.body, 'ali-ons sees the body as sent (inflated)');
      assert.equal(m.properties.origin, 'rocketmq-ts');
      assert.match(m.properties.UNIQ_KEY ?? '', /^[0-9A-F]{32}$/, 'our producer sets UNIQ_KEY');
    }
    assert.ok(ons.received.some((m) => m.body.length >= 4096), 'the big message arrived');
    // On the broker the big record is stored compressed, with the sysFlag bits our producer set.
    assert.ok(bigSend);
    const [stored] = decodeBody(await h.pull({ topic, consumerGroup: uniq('CG_peek'), queueId: bigSend.queueId, queueOffset: bigSend.queueOffset, maxMsgNums: 1 }));
    assert.equal(stored.sysFlag & 1, 1, 'stored compressed');
    assert.ok(stored.body.length < Buffer.byteLength(big), 'the stored body is smaller than the original');
  } finally {
    await closeAll();
    await producer.shutdown();
    await h.close();
  }
});
