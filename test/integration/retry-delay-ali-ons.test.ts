// The npm client ali-ons against our NameServer + Broker (real time, a delay table of 1 s levels so the test is short):
// a delayed send (delayTimeLevel) is parked in SCHEDULE_TOPIC_XXXX and consumed after its delay; setStartDeliverTime
// (__STARTDELIVERTIME) is honoured; a handler that throws makes ali-ons send CONSUMER_SEND_MSG_BACK 36, and the
// message comes back from %RETRY%<group> with reconsumeTimes 1 and its original topic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TIMER_TOPIC } from '../../src/broker/message-transform.ts';
import { SCHEDULE_TOPIC } from '../../src/store/index.ts';
import { BrokerHarness, uniq } from './broker-harness.ts';
import { keyOf, ons, onsLog, onsOptions, waitUntil } from './acceptance/ali-ons-client.ts';
import type { OnsClientBase, OnsMessage } from './acceptance/ali-ons-client.ts';


test('ali-ons: delayed send (level and __STARTDELIVERTIME) and a failed consume retried through send-back', async () => {
  const h = await BrokerHarness.start({ messageStoreConfig: { messageDelayLevel: Array(18).fill('1s').join(' ') } });
  const producer = new ons.Producer({ ...onsOptions(h.namesrvAddr), producerGroup: uniq('PID_ons_d') });
  producer.on('error', (e) => onsLog.push(`producer error ${String(e)}`));
  const open: OnsClientBase[] = [producer];
  try {
    const topic = uniq('TP_ons_d');
    const group = uniq('GID_ons_d');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    await h.broker.registerBrokerAll();
    await producer.ready();

    const received: OnsMessage[] = [];
    let failures = 0;
    const consumer = new ons.Consumer({ ...onsOptions(h.namesrvAddr), consumerGroup: group, brokerSuspendMaxTimeMillis: 2000 });
    consumer.on('error', (e) => onsLog.push(`consumer error ${String(e)}`));
    open.push(consumer);
    consumer.subscribe(topic, '*', async (msg) => {
      if (keyOf(msg) === 'retry-me' && msg.reconsumeTimes === 0) {
        failures++;
        throw new Error('handler failure on purpose');
      }
      received.push(msg);
    });
    await consumer.ready();
    // Let the consumer own the queue before anything is sent (CONSUME_FROM_LAST_OFFSET).
    await waitUntil('rebalance', () => h.broker.consumerManager.getConsumerIdList(group).length > 0);
    await new Promise((r) => setTimeout(r, 1500));

    const delayed = new ons.Message(topic, 'TagD', 'later');
    delayed.keys = ['delayed'];
    delayed.delayTimeLevel = 2;
    assert.equal((await producer.send(delayed)).sendStatus, 'SEND_OK');
    assert.equal(h.broker.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, 1), 1, 'parked in SCHEDULE_TOPIC_XXXX queue 1');

    const timed = new ons.Message(topic, 'TagS', 'at-time');
    timed.keys = ['timed'];
    timed.setStartDeliverTime(Date.now() + 2000);
    assert.equal((await producer.send(timed)).sendStatus, 'SEND_OK');
    assert.equal(h.broker.store.getMaxOffsetInQueue(TIMER_TOPIC, 0), 1, 'parked in the timer topic');

    const retry = new ons.Message(topic, 'TagR', 'fail-once');
    retry.keys = ['retry-me'];
    assert.equal((await producer.send(retry)).sendStatus, 'SEND_OK');

    await waitUntil('delayed, timed and retried messages', () => received.length >= 3);
    await new Promise((r) => setTimeout(r, 1000)); // nothing may arrive twice
    const byKey = new Map(received.map((m) => [keyOf(m), m]));
    assert.deepEqual([...byKey.keys()].sort(), ['delayed', 'retry-me', 'timed']);
    assert.equal(received.length, 3, 'each exactly once');

    const d = byKey.get('delayed');
    assert.ok(d !== undefined);
    assert.equal(d.body.toString(), 'later');
    assert.ok(d.storeTimestamp - d.bornTimestamp >= 1000, 'stored again after its 1 s level delay');
    const t = byKey.get('timed');
    assert.ok(t !== undefined);
    assert.ok(t.storeTimestamp - t.bornTimestamp >= 1000, 'delivered at its start-deliver time');

    const r = byKey.get('retry-me');
    assert.ok(r !== undefined);
    assert.equal(failures, 1);
    assert.equal(r.reconsumeTimes, 1, 'came back once through the retry topic');
    assert.equal(r.topic, topic, 'ali-ons restores the original topic from RETRY_TOPIC');
    assert.equal(h.broker.store.getMaxOffsetInQueue(`%RETRY%${group}`, 0), 1, 'stored in %RETRY%<group>');
    assert.equal(h.broker.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, 2), 1, 'via level 3 (3 + reconsumeTimes 0)');
  } finally {
    for (const c of open.reverse()) await c.close().catch(() => undefined);
    await ons.Producer.defaultProducer?.close().catch(() => undefined);
    ons.Producer.defaultProducer = null;
    await h.close();
  }
});
