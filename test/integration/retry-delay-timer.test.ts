// Timer messages end to end over TCP with a fake clock (PROTOCOL.md §8.1, 5.x): TIMER_DELIVER_MS / TIMER_DELAY_MS /
// TIMER_DELAY_SEC and ali-ons' __STARTDELIVERTIME park the message in rmq_sys_wheel_timer and deliver it once at its
// second (never early), timer properties removed; a restart neither replays nor loses timers; beyond 3 days → 13.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageConst } from '../../src/common/message/message-const.ts';
import { TIMER_TOPIC } from '../../src/broker/message-transform.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';
import { DelayHarness, uniq } from './retry-delay-harness.ts';

function timer(h: DelayHarness): NonNullable<DelayHarness['broker']['delayedDelivery']['timer']> {
  const t = h.broker.delayedDelivery.timer;
  assert.ok(t !== undefined, 'timer wheel enabled by default');
  return t;
}

test('timer message at +2 s: parked, delivered once at its second, survives a restart without replay', async () => {
  const h = await DelayHarness.start();
  try {
    const topic = uniq('T_timer');
    h.createTopic(topic);
    const due = h.clock.now() + 2_000;
    await h.sendOk(topic, 'tick', { TIMER_DELIVER_MS: String(due), KEYS: 'tk', TAGS: 'TagT' });
    const parked = await h.pullAll(TIMER_TOPIC);
    assert.equal(parked.length, 1);
    assert.equal(parked[0].properties[MessageConst.TIMER_OUT_MS], String(due));
    assert.equal(parked[0].properties[MessageConst.REAL_TOPIC], topic);

    await timer(h).tick();
    assert.equal(timer(h).enqueueOffset, 1, 'linked into the wheel');
    h.clock.advance(1_999);
    assert.equal((await timer(h).tick()).delivered, 0, 'not delivered 1 ms early');
    assert.deepEqual(await h.pullAll(topic), []);

    h.clock.advance(1);
    await h.waitFor('timer delivery', async () => (await h.pullAll(topic)).length > 0);
    const [m] = await h.pullAll(topic);
    assert.equal(m.body.toString(), 'tick');
    assert.equal(m.properties[MessageConst.TAGS], 'TagT');
    assert.equal(m.properties[MessageConst.KEYS], 'tk');
    assert.equal(m.properties[MessageConst.TIMER_DELIVER_MS], undefined, 'timer properties removed');
    assert.equal(m.properties[MessageConst.TIMER_OUT_MS], undefined);

    await h.restartBroker();
    h.clock.advance(5_000);
    await timer(h).tick();
    assert.equal((await h.pullAll(topic)).length, 1, 'not replayed after restart');
  } finally {
    await h.close();
  }
});

test('pending timers survive a restart; TIMER_DELAY_SEC, TIMER_DELAY_MS and __STARTDELIVERTIME all honoured', async () => {
  const h = await DelayHarness.start();
  try {
    const topic = uniq('T_timer_r');
    h.createTopic(topic);
    const t0 = h.clock.now();
    await h.sendOk(topic, 'sec', { TIMER_DELAY_SEC: '3' });
    await h.sendOk(topic, 'ms', { TIMER_DELAY_MS: '4500' });
    await h.sendOk(topic, 'ons', { [MessageConst.START_DELIVER_TIME]: String(t0 + 6_000) });
    await h.sendOk(topic, 'past', { TIMER_DELIVER_MS: String(t0 - 1_000) });
    assert.deepEqual((await h.pullAll(topic)).map((m) => m.body.toString()), ['past'], 'a past deliver time is a normal message');
    await timer(h).tick();
    assert.equal(timer(h).enqueueOffset, 3);

    await h.restartBroker();
    assert.equal(timer(h).enqueueOffset, 3, 'enqueue progress recovered from the timer log');
    h.clock.advance(3_000);
    await timer(h).tick();
    await h.waitFor('sec', async () => (await h.pullAll(topic)).length === 2);
    h.clock.advance(2_000); // t0 + 5 s: "ms" (4.5 s, rounded up to 5 s) is due
    await timer(h).tick();
    await h.waitFor('ms', async () => (await h.pullAll(topic)).length === 3);
    assert.equal((await h.pullAll(topic))[2].body.toString(), 'ms');

    // Restart again between deliveries: the read pointer survives.
    await h.restartBroker();
    h.clock.advance(1_000);
    await timer(h).tick();
    await h.waitFor('ons', async () => (await h.pullAll(topic)).length === 4);
    h.clock.advance(10_000);
    await timer(h).tick();
    assert.deepEqual((await h.pullAll(topic)).map((m) => m.body.toString()), ['past', 'sec', 'ms', 'ons'], 'each exactly once');
  } finally {
    await h.close();
  }
});

test('timer beyond timerMaxDelaySec is refused with 13; malformed timer property too; DELAY level wins over a timer', async () => {
  const h = await DelayHarness.start({ messageStoreConfig: { messageDelayLevel: '1s 2s' } });
  try {
    const topic = uniq('T_timer_bad');
    h.createTopic(topic);
    const tooFar = await h.send(topic, 'x', { TIMER_DELIVER_MS: String(h.clock.now() + 3 * 86_400_000 + 1_000) });
    assert.equal(tooFar.code, ResponseCode.MESSAGE_ILLEGAL);
    assert.match(tooFar.remark ?? '', /exceeds the maximum of 259200 s \(timerMaxDelaySec\)/);
    const ok3d = await h.send(topic, 'x', { TIMER_DELAY_SEC: String(3 * 86_400) });
    assert.equal(ok3d.code, ResponseCode.SUCCESS, 'exactly 3 days is accepted');
    const bad = await h.send(topic, 'x', { TIMER_DELAY_MS: 'soon' });
    assert.equal(bad.code, ResponseCode.MESSAGE_ILLEGAL);
    assert.match(bad.remark ?? '', /TIMER_DELAY_MS=soon is not an integer/);

    await h.sendOk(topic, 'both', { DELAY: '1', TIMER_DELAY_SEC: '100' });
    assert.equal((await h.pullAll(TIMER_TOPIC)).length, 1, 'only the 3-day timer is in the wheel topic');
    h.clock.advance(1_000);
    await h.waitFor('level delivery', async () => (await h.pullAll(topic)).length === 1);
    const [m] = await h.pullAll(topic);
    assert.equal(m.body.toString(), 'both');
    assert.equal(m.properties[MessageConst.TIMER_DELAY_SEC], undefined);
  } finally {
    await h.close();
  }
});

test('timerWheelEnable=false: Apache timer properties are refused, __STARTDELIVERTIME is ignored', async () => {
  const h = await DelayHarness.start({ messageStoreConfig: { timerWheelEnable: false } });
  try {
    const topic = uniq('T_timer_off');
    h.createTopic(topic);
    assert.equal(h.broker.delayedDelivery.timer, undefined);
    const r = await h.send(topic, 'x', { TIMER_DELAY_SEC: '5' });
    assert.equal(r.code, ResponseCode.MESSAGE_ILLEGAL);
    assert.match(r.remark ?? '', /timerWheelEnable=false/);
    await h.sendOk(topic, 'ons', { [MessageConst.START_DELIVER_TIME]: String(h.clock.now() + 5_000) });
    assert.equal((await h.pullAll(topic)).length, 1, 'stored as a normal message, as an Apache broker does');
  } finally {
    await h.close();
  }
});
