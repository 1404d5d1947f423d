// Delay levels end to end over TCP with a fake clock (PROTOCOL.md §8.1): a DELAY send is parked in
// SCHEDULE_TOPIC_XXXX (queue level − 1, REAL_TOPIC/REAL_QID), invisible until store time + level delay, then
// delivered once with every property but DELAY kept; levels above the table clamp; a broker restart in the middle of
// delivery neither repeats nor loses a message (delayOffset.json), and the file has the §7.7 shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLenientJson } from '../../src/common/lenient-json.ts';
import { MessageConst } from '../../src/common/message/message-const.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { SCHEDULE_TOPIC } from '../../src/store/index.ts';
import { DelayHarness, uniq } from './retry-delay-harness.ts';

const TABLE = '1s 5s 10s';

test('DELAY level: parked, invisible before its time, delivered once after with its properties', async () => {
  const h = await DelayHarness.start({ messageStoreConfig: { messageDelayLevel: TABLE } });
  try {
    const topic = uniq('T_delay');
    h.createTopic(topic);
    const sent = await h.sendOk(topic, 'hello-later', { DELAY: '2', KEYS: 'k1 k2', TAGS: 'TagD', color: 'blue' });
    assert.equal(sent.extFields?.queueId, '0', 'the reply names the real queue');
    const born = h.clock.now();

    assert.deepEqual(await h.pullAll(topic), [], 'nothing visible in the real topic yet');
    const parked = await h.pullAll(SCHEDULE_TOPIC, 1);
    assert.equal(parked.length, 1, 'parked in SCHEDULE_TOPIC_XXXX queue level-1');
    assert.equal(parked[0].properties[MessageConst.REAL_TOPIC], topic);
    assert.equal(parked[0].properties[MessageConst.REAL_QID], '0');
    assert.equal(parked[0].properties[MessageConst.DELAY], '2');

    const schedule = h.broker.delayedDelivery.schedule;
    h.clock.advance(4_999);
    const early = await schedule.deliverLevel(2);
    assert.equal(early.delivered, 0, 'not due 1 ms before store time + 5 s');
    assert.equal(early.nextDeliverAt, parked[0].storeTimestamp + 5_000);
    assert.deepEqual(await h.pullAll(topic), []);

    h.clock.advance(1);
    await h.waitFor('delivery', async () => (await h.pullAll(topic)).length > 0);
    await schedule.deliverAllDue();
    const got = await h.pullAll(topic);
    assert.equal(got.length, 1, 'delivered exactly once');
    const m = got[0];
    assert.equal(m.body.toString(), 'hello-later');
    assert.equal(m.flag, 7);
    assert.equal(m.bornTimestamp, born);
    assert.equal(m.properties[MessageConst.DELAY], undefined, 'DELAY removed');
    assert.equal(m.properties[MessageConst.KEYS], 'k1 k2');
    assert.equal(m.properties[MessageConst.TAGS], 'TagD');
    assert.equal(m.properties.color, 'blue');
    assert.equal(m.properties[MessageConst.UNIQ_KEY], parked[0].properties[MessageConst.UNIQ_KEY]);
    assert.equal(m.properties[MessageConst.REAL_TOPIC], topic, 'REAL_TOPIC stays (as in Java)');
    assert.equal(m.properties[MessageConst.WAIT], 'false');
    assert.equal(h.broker.delayedDelivery.schedule.offsets.get(2), 1);

    // The message can be found by key in the real topic (indexed on re-put).
    assert.equal(h.broker.store.queryMessage(topic, 'k2', 10, 0, Number.MAX_SAFE_INTEGER).messages.length, 1);
  } finally {
    await h.close();
  }
});

test('DELAY above the table clamps to the last level; DELAY 0 or garbage is a normal message', async () => {
  const h = await DelayHarness.start({ messageStoreConfig: { messageDelayLevel: TABLE } });
  try {
    const topic = uniq('T_clamp');
    h.createTopic(topic);
    await h.sendOk(topic, 'far', { DELAY: '99' });
    await h.sendOk(topic, 'zero', { DELAY: '0' });
    await h.sendOk(topic, 'junk', { DELAY: 'soon' });
    const parked = await h.pullAll(SCHEDULE_TOPIC, 2);
    assert.equal(parked.length, 1, 'level 99 → queue 2 (level 3, the last)');
    assert.equal(parked[0].properties[MessageConst.DELAY], '3');
    assert.deepEqual((await h.pullAll(topic)).map((m) => m.body.toString()), ['zero', 'junk']);
    h.clock.advance(9_999);
    assert.equal((await h.broker.delayedDelivery.schedule.deliverLevel(3)).delivered, 0);
    h.clock.advance(1);
    await h.waitFor('clamped delivery', async () => (await h.pullAll(topic)).length === 3);
    assert.equal((await h.pullAll(topic))[2].body.toString(), 'far');
  } finally {
    await h.close();
  }
});

test('restart in the middle of delayed delivery: nothing twice, nothing lost; delayOffset.json shape', async () => {
  const h = await DelayHarness.start({ messageStoreConfig: { messageDelayLevel: TABLE } });
  try {
    const topic = uniq('T_restart');
    h.createTopic(topic);
    for (let i = 0; i < 3; i++) await h.sendOk(topic, `fast-${i}`, { DELAY: '1', KEYS: `fast-${i}` });
    for (let i = 0; i < 3; i++) await h.sendOk(topic, `slow-${i}`, { DELAY: '3', KEYS: `slow-${i}` });
    h.clock.advance(1_000);
    await h.waitFor('level-1 messages', async () => (await h.pullAll(topic)).length === 3);

    await h.restartBroker();
    const file = join(h.broker.messageStoreConfig.storePathRootDir, 'config', 'delayOffset.json');
    const json = parseLenientJson(readFileSync(file, 'utf8')) as { offsetTable: Record<string, number>; dataVersion: object };
    assert.equal(json.offsetTable['1'], 3, 'level 1 progress persisted at shutdown');
    assert.equal(json.offsetTable['3'] ?? 0, 0, 'level 3 not started');
    assert.ok(typeof json.dataVersion === 'object');

    assert.equal(h.broker.delayedDelivery.schedule.offsets.get(1), 3, 'progress reloaded before anything ran');
    const all = await h.invoke(RequestCode.GET_ALL_DELAY_OFFSET);
    assert.equal(all.code, 0, all.remark);
    const served = parseLenientJson(all.body?.toString('utf8') ?? '') as { offsetTable: Record<string, number> };
    assert.equal(served.offsetTable['1'], 3, 'GET_ALL_DELAY_OFFSET 45 serves the same progress');
    assert.equal(await h.broker.delayedDelivery.schedule.deliverAllDue(), 0, 'nothing re-delivered after restart');
    assert.equal((await h.pullAll(topic)).length, 3);

    h.clock.advance(9_000);
    await h.waitFor('level-3 messages', async () => (await h.pullAll(topic)).length === 6);
    await h.broker.delayedDelivery.schedule.deliverAllDue();
    const bodies = (await h.pullAll(topic)).map((m) => m.body.toString());
    assert.deepEqual(bodies, ['fast-0', 'fast-1', 'fast-2', 'slow-0', 'slow-1', 'slow-2'], 'each exactly once, in order');
  } finally {
    await h.close();
  }
});
