// Retry to DLQ end to end with a broker whose delay levels are all 1 s (retries come back quickly):
// - concurrent: a listener that always fails sees the message maxReconsumeTimes + 1 times (reconsumeTimes 0, 1, 2),
//   the first time from the topic, then from %RETRY%<group> (delay level 3 + reconsumeTimes); the send-back after the
//   last attempt lands in %DLQ%<group> with reconsumeTimes = maxReconsumeTimes + 1 (the broker counts the send-back);
// - orderly: the listener keeps returning SUSPEND_CURRENT_QUEUE_A_MOMENT; the message is retried locally (same queue,
//   nothing goes to %RETRY%) until reconsumeTimes reaches maxReconsumeTimes, then it is sent back with delay level -1
//   straight to %DLQ%<group>, the queue's offset moves past it and the next message of the queue is consumed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumeOrderlyStatus } from '../../../src/client/consumer/listener.ts';
import { dlqTopicOf, retryTopicOf } from '../../../src/client/consumer/message-ext.ts';
import type { MessageExt } from '../../../src/client/consumer/message-ext.ts';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import { MessageConst } from '../../../src/common/message/message-const.ts';
import type { DecodedMessage } from '../../../src/common/message/message-record.ts';
import { BrokerHarness, decodeBody, uniq } from '../../integration/broker-harness.ts';
import { clientOf, startProducer, waitFor } from './e2e-helpers.ts';

const FAST_LEVELS = Array.from({ length: 18 }, () => '1s').join(' ');
const MAX_RECONSUME = 2;

async function dlqMessages(h: BrokerHarness, group: string): Promise<DecodedMessage[]> {
  const topic = dlqTopicOf(group);
  if (h.broker.topicConfigManager.selectTopicConfig(topic) === undefined) return [];
  return decodeBody(await h.pull({ topic, consumerGroup: uniq('CG_dlq_reader'), queueId: 0, queueOffset: 0 }));
}

/** Messages stored in %DLQ%<group> queue 0 (the DLQ has one queue). */
function dlqDepth(h: BrokerHarness, group: string): number {
  const topic = dlqTopicOf(group);
  return h.broker.topicConfigManager.selectTopicConfig(topic) === undefined ? 0 : h.broker.store.getMaxOffsetInQueue(topic, 0);
}

interface Delivery {
  topic: string;
  reconsumeTimes: number;
  fromRetryTopic: boolean;
  body: string;
}

function deliveryOf(m: MessageExt): Delivery {
  return { topic: m.topic, reconsumeTimes: m.reconsumeTimes, fromRetryTopic: m.properties[MessageConst.RETRY_TOPIC] !== undefined, body: m.body.toString() };
}

test('concurrent: a message that always fails is retried maxReconsumeTimes times, then lands in %DLQ%', async () => {
  const h = await BrokerHarness.start({ messageStoreConfig: { messageDelayLevel: FAST_LEVELS } });
  const producer = await startProducer(h);
  let consumer: PushConsumer | undefined;
  try {
    const topic = uniq('E2E_DLQ');
    const group = uniq('CG_DLQ');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    await h.broker.registerBrokerAll();
    const seen: Delivery[] = [];
    consumer = new PushConsumer({
      ...clientOf(h.namesrvAddr, 'dlq'),
      group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      maxReconsumeTimes: MAX_RECONSUME,
      brokerSuspendMaxTimeMillis: 1000,
      rebalanceInterval: 1000,
    });
    consumer.subscribe(topic).onMessage((msgs) => {
      for (const m of msgs) seen.push(deliveryOf(m));
      throw new Error('always fails');
    });
    await consumer.start();
    const sent = await producer.send({ topic, body: 'doomed', tags: 'T', keys: 'dlq-key' });

    await waitFor('the message in the DLQ', () => dlqDepth(h, group) > 0, 20_000, () => JSON.stringify(seen));
    const dlq = await dlqMessages(h, group);
    assert.equal(dlq.length, 1, 'exactly one DLQ record');
    assert.equal(dlq[0].body.toString(), 'doomed');
    assert.equal(dlq[0].reconsumeTimes, MAX_RECONSUME + 1);
    assert.equal(dlq[0].properties[MessageConst.ORIGIN_MESSAGE_ID] !== undefined, true);
    assert.equal(dlq[0].properties[MessageConst.RETRY_TOPIC], topic);
    assert.equal(dlq[0].properties[MessageConst.UNIQ_KEY], sent.msgId, 'same message id all the way');
    assert.equal(dlq[0].properties[MessageConst.KEYS], 'dlq-key');
    // Each attempt once: the original, then one per retry, never from the DLQ.
    assert.deepEqual(seen.map((d) => d.reconsumeTimes), [0, 1, 2]);
    assert.deepEqual(seen.map((d) => d.fromRetryTopic), [false, true, true]);
    for (const d of seen) assert.equal(d.topic, topic, 'a retried message shows its original topic');
    assert.ok(h.broker.topicConfigManager.selectTopicConfig(retryTopicOf(group)) !== undefined);
  } finally {
    await consumer?.shutdown();
    await producer.shutdown();
    await h.close();
  }
});

test('orderly: SUSPEND retries locally maxReconsumeTimes times, then the message goes to %DLQ% and the queue moves on', async () => {
  const h = await BrokerHarness.start({ messageStoreConfig: { messageDelayLevel: FAST_LEVELS } });
  const producer = await startProducer(h);
  let consumer: PushConsumer | undefined;
  try {
    const topic = uniq('E2E_ODLQ');
    const group = uniq('CG_ODLQ');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    await h.broker.registerBrokerAll();
    const seen: Delivery[] = [];
    consumer = new PushConsumer({
      ...clientOf(h.namesrvAddr, 'odlq'),
      group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      maxReconsumeTimes: MAX_RECONSUME,
      suspendCurrentQueueTimeMillis: 50,
      brokerSuspendMaxTimeMillis: 1000,
      rebalanceInterval: 1000,
    });
    consumer.subscribe(topic).registerMessageListenerOrderly((msgs) => {
      for (const m of msgs) seen.push(deliveryOf(m));
      return msgs.some((m) => m.body.toString() === 'doomed') ? ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT : ConsumeOrderlyStatus.SUCCESS;
    });
    await consumer.start();
    await producer.send({ topic, body: 'doomed', keys: 'odlq-key' });
    await producer.send({ topic, body: 'next' });

    await waitFor('the next message consumed', () => seen.some((d) => d.body === 'next'), 20_000, () => JSON.stringify(seen));
    assert.deepEqual(
      seen.map((d) => [d.body, d.reconsumeTimes]),
      [
        ['doomed', 0],
        ['doomed', 1],
        ['doomed', 2],
        ['next', 0],
      ],
      'three local attempts in the same queue, then the next message',
    );
    assert.ok(seen.every((d) => !d.fromRetryTopic), 'orderly retries never go through %RETRY%');
    assert.equal(h.broker.topicConfigManager.selectTopicConfig(retryTopicOf(group)) === undefined || h.broker.store.getMaxOffsetInQueue(retryTopicOf(group), 0) === 0, true);
    await waitFor('the DLQ record', () => dlqDepth(h, group) > 0);
    const dlq = await dlqMessages(h, group);
    assert.equal(dlq.length, 1);
    assert.equal(dlq[0].body.toString(), 'doomed');
    assert.equal(dlq[0].properties[MessageConst.KEYS], 'odlq-key');
    assert.equal(dlq[0].properties[MessageConst.RETRY_TOPIC], topic);
    // The record's reconsumeTimes is the broker's count of send-backs (one), not the local attempts: the orderly DLQ
    // move is one CONSUMER_SEND_MSG_BACK with delay level -1 of the original record. (Java's orderly consumer re-sends
    // a copy with RECONSUME_TIME = its local count to %RETRY% instead, so a Java DLQ record shows maxReconsumeTimes.)
    assert.equal(dlq[0].reconsumeTimes, 1);
    // The committed offset moves past both messages.
    await consumer.persistOffsets(true);
    await waitFor('offset 2 committed', () => h.broker.consumerOffsetManager.queryOffset(group, topic, 0) === 2);
  } finally {
    await consumer?.shutdown();
    await producer.shutdown();
    await h.close();
  }
});
