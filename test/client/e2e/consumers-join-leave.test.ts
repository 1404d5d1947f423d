// Clustering consumers joining and leaving while ~2,000 messages are produced: every message is consumed at least once,
// and duplicates stay under a bound the flow-control settings give.
//
// Why duplicates happen at all: a queue that changes owner is read by the new owner from the offset committed on the
// broker, and the old owner may have delivered messages past that offset (committed only by the next pull's
// commitOffset, the 1 s persist timer, or the drop of the queue), or may still deliver what it has cached until its own
// rebalance drops the queue. Per handover that is at most what the old owner holds or fetches meanwhile: its cache
// (≤ pullThresholdForQueue + pullBatchSize, flow control stops pulling above the threshold) plus one pull in flight
// (pullBatchSize). A membership change moves each queue at most once, so with 8 queues and 2 changes (one leave, one
// join) there are ≤ 16 handovers and duplicates ≤ 16 × (pullThresholdForQueue + 2 × pullBatchSize).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';
import { DeliveryLog, clientOf, startProducer, waitFor } from './e2e-helpers.ts';

const QUEUES = 8;
const TOTAL = 2000;
const PULL_BATCH = 16;
const THRESHOLD = 32;

test('clustering: 3 consumers, one leaves and one joins mid-stream; every message consumed, duplicates bounded', async () => {
  const h = await BrokerHarness.start();
  const consumers: PushConsumer[] = [];
  const producer = await startProducer(h);
  try {
    const topic = uniq('E2E_JL');
    const group = uniq('CG_JL');
    h.createTopic(topic, { readQueueNums: QUEUES, writeQueueNums: QUEUES });
    await h.broker.registerBrokerAll();
    const log = new DeliveryLog();
    const byConsumer = new Map<string, number>();
    const newConsumer = (name: string): PushConsumer => {
      const c = new PushConsumer({
        ...clientOf(h.namesrvAddr, name),
        group,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        pullBatchSize: PULL_BATCH,
        pullThresholdForQueue: THRESHOLD,
        rebalanceInterval: 1000,
        persistConsumerOffsetInterval: 1000,
        brokerSuspendMaxTimeMillis: 1000,
        shutdownAwaitTime: 2000,
      });
      c.subscribe(topic).onMessage((msgs) => {
        for (const m of msgs) {
          log.record(m.body.toString());
          byConsumer.set(name, (byConsumer.get(name) ?? 0) + 1);
        }
      });
      consumers.push(c);
      return c;
    };
    const owned = (c: PushConsumer): number => c.assignedQueues().filter((q) => q.topic === topic).length;
    const [c1, c2, c3] = [newConsumer('c1'), newConsumer('c2'), newConsumer('c3')];
    for (const c of [c1, c2, c3]) await c.start();
    for (const c of [c1, c2, c3]) await c.rebalance();
    await waitFor(
      'the 8 queues split over 3 consumers',
      () => [c1, c2, c3].every((c) => owned(c) >= 2) && [c1, c2, c3].reduce((n, c) => n + owned(c), 0) === QUEUES,
    );

    // Produce in the background, 8 sends in flight at a time.
    let sent = 0;
    const produce = (async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < TOTAL) {
            const i = next++;
            await producer.send({ topic, body: `m-${i}`, keys: `k${i}` });
            sent++;
          }
        }),
      );
    })();

    await waitFor('600 sent', () => sent >= 600);
    await c2.shutdown(); // leaves: commits its offsets, unregisters; c1 and c3 take its queues
    await waitFor('700 sent', () => sent >= 700 || sent === TOTAL);
    const c4 = newConsumer('c4');
    await c4.start(); // joins: takes queues from c1 / c3
    await produce;
    assert.equal(sent, TOTAL);

    await waitFor('every message consumed at least once', () => log.unique === TOTAL, 20_000, () => `${log.unique}/${TOTAL} unique`);
    // A few more rounds so late duplicates (if any) are counted too.
    await new Promise((r) => setTimeout(r, 1500));
    for (let i = 0; i < TOTAL; i++) assert.ok(log.seen.has(`m-${i}`), `m-${i} consumed`);
    assert.equal(log.unique, TOTAL, 'nothing but the produced messages');

    const bound = 2 * QUEUES * (THRESHOLD + 2 * PULL_BATCH);
    assert.ok(log.duplicates <= bound, `duplicates ${log.duplicates} ≤ ${bound}`);
    // Not vacuous: the leaver consumed before leaving, the joiner consumed after joining.
    assert.ok((byConsumer.get('c2') ?? 0) > 0, 'c2 consumed before it left');
    assert.ok((byConsumer.get('c4') ?? 0) > 0, 'c4 consumed after it joined');
    assert.ok(owned(c4) >= 2, 'c4 owns queues');
    assert.equal(owned(c1) + owned(c3) + owned(c4), QUEUES, 'c2 owns nothing any more');
    console.log(`join/leave: ${log.deliveries} deliveries of ${TOTAL} messages, ${log.duplicates} duplicates (bound ${bound}); per consumer ${JSON.stringify(Object.fromEntries(byConsumer))}`);
  } finally {
    for (const c of consumers) await c.shutdown();
    await producer.shutdown();
    await h.close();
  }
});
