// Per-key order through a consumer crash: a producer with the hash selector sends a numbered stream per key; two
// orderly consumers share the queues; one "crashes" mid-stream and the other takes its queues over.
//
// The crash: the victim runs on a ClientInstance of its own. At the crash point its listener stops returning (every
// call from then on hangs forever and is not recorded: a process that died mid-listener commits nothing, acks
// nothing), then its ClientInstance is shut down, which destroys its sockets without UNREGISTER_CLIENT, without
// committing offsets and without UNLOCK_BATCH_MQ (PushConsumer.shutdown() would do all three). The broker sees the
// connections close: it drops the client from the group, tells the survivor (NOTIFY_CONSUMER_IDS_CHANGED) and releases
// the queue locks taken on those connections, so the survivor locks the queues at its next rebalance (every 1 s here,
// or at once on the notification) and reads them from the last committed offset. Messages the victim consumed after
// its last commit are delivered again; per key, once those repeats are ignored, the sequence must be 0, 1, 2, … n-1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { PushConsumer } from '../../../src/client/consumer/push-consumer.ts';
import { selectByHash } from '../../../src/client/producer/queue-selectors.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';
import { clientOf, startProducer, waitFor } from './e2e-helpers.ts';

const KEYS = Array.from({ length: 8 }, (_, i) => `order-${i}`);
const PER_KEY = 60;

test('orderly: per-key order kept when a consumer crashes and another takes its queues over', async () => {
  const h = await BrokerHarness.start();
  const producer = await startProducer(h);
  const consumers: PushConsumer[] = [];
  const victimInstance = new ClientInstance({ ...clientOf(h.namesrvAddr, 'victim') });
  try {
    const topic = uniq('E2E_ORD');
    const group = uniq('CG_ORD');
    h.createTopic(topic, { readQueueNums: 4, writeQueueNums: 4 });
    await h.broker.registerBrokerAll();

    /** Every delivery in the order the listeners saw them: key → [seq, consumer]. */
    const deliveries = new Map<string, Array<{ seq: number; by: string }>>(KEYS.map((k) => [k, []]));
    let crashed = false;
    let victimCount = 0;
    const newConsumer = (name: string, extra: { clientInstance?: ClientInstance } = {}): PushConsumer => {
      const c = new PushConsumer({
        ...clientOf(h.namesrvAddr, name),
        ...extra,
        group,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        consumeMessageBatchMaxSize: 1,
        pullBatchSize: 8,
        rebalanceInterval: 1000,
        persistConsumerOffsetInterval: 500,
        brokerSuspendMaxTimeMillis: 1000,
        shutdownAwaitTime: 200,
      });
      c.subscribe(topic).registerMessageListenerOrderly(async (msgs) => {
        if (name === 'victim' && crashed) return new Promise<never>(() => {}); // dead: never returns, never acks
        for (const m of msgs) {
          const [key, seq] = m.body.toString().split('#');
          deliveries.get(key)?.push({ seq: Number(seq), by: name });
          if (name === 'victim') victimCount++;
        }
        await new Promise((r) => setImmediate(r));
        return undefined;
      });
      consumers.push(c);
      return c;
    };
    const victim = newConsumer('victim', { clientInstance: victimInstance });
    const survivor = newConsumer('survivor');
    await victim.start();
    await survivor.start();
    const owned = (c: PushConsumer): number => c.assignedQueues().filter((q) => q.topic === topic).length;
    await victim.rebalance();
    await waitFor('queues split 2 / 2', () => owned(victim) === 2 && owned(survivor) === 2);

    let sent = 0;
    const produce = (async () => {
      for (let seq = 0; seq < PER_KEY; seq++) {
        for (const key of KEYS) {
          await producer.send({ topic, body: `${key}#${seq}`, keys: key }, { selector: selectByHash, selectorArg: key });
          sent++;
        }
      }
    })();

    await waitFor('the victim consumed a part of the stream', () => victimCount >= 80);
    crashed = true;
    await victimInstance.shutdown(); // sockets destroyed: no commit, no unlock, no unregister
    const victimQueuesBefore = victim.assignedQueues().filter((q) => q.topic === topic).map((q) => q.queueId);
    await produce;
    assert.equal(sent, KEYS.length * PER_KEY);

    const total = KEYS.length * PER_KEY;
    const firstSeen = (): number => [...deliveries.values()].reduce((n, list) => n + new Set(list.map((d) => d.seq)).size, 0);
    await waitFor('every message delivered', () => firstSeen() === total, 20_000, () => `${firstSeen()}/${total}`);
    assert.equal(owned(survivor), 4, 'the survivor owns every queue');

    let repeats = 0;
    let takenOver = 0;
    for (const [key, list] of deliveries) {
      const seen = new Set<number>();
      const order: number[] = [];
      for (const d of list) {
        if (seen.has(d.seq)) {
          repeats++;
          continue;
        }
        seen.add(d.seq);
        order.push(d.seq);
      }
      assert.deepEqual(order, Array.from({ length: PER_KEY }, (_, i) => i), `key ${key}: first deliveries in send order`);
      // Repeats only go backwards to the last committed point, then forward again: each delivery is either the next
      // new sequence number or a repeat of an earlier one.
      const byVictim = list.filter((d) => d.by === 'victim');
      const bySurvivor = list.filter((d) => d.by === 'survivor');
      for (const part of [byVictim, bySurvivor]) {
        for (let i = 1; i < part.length; i++) assert.ok(part[i].seq > part[i - 1].seq, `key ${key}: one consumer delivers in increasing order`);
      }
      if (byVictim.length > 0 && bySurvivor.length > 0) takenOver++;
    }
    assert.ok(victimQueuesBefore.length === 2, 'the victim owned 2 queues when it crashed');
    assert.ok(takenOver > 0, 'some keys were consumed by the victim and then by the survivor');
    console.log(`orderly crash: victim delivered ${victimCount}, ${repeats} repeats after takeover, ${takenOver} keys taken over`);
  } finally {
    for (const c of consumers) await c.shutdown().catch(() => undefined);
    await victimInstance.shutdown();
    await producer.shutdown();
    await h.close();
  }
});
