import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { decodeBatchBody } from '../../../src/common/message/message-batch.ts';
import { decodeProperties } from '../../../src/common/message/message-properties.ts';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { Producer, selectByHash, SendStatus, splitBatch } from '../../../src/client/index.ts';
import type { Message, ProducerOptions } from '../../../src/client/index.ts';
import { RocketMQError } from '../../../src/common/errors.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { SendMessageRequestHeaderV2 } from '../../../src/remoting/protocol/headers/broker-headers.ts';
import { FakeBroker, FakeNamesrv, routeOf, sendScript, uniqueName } from '../helpers.ts';

const ns = new FakeNamesrv();
const script = sendScript();
const brokerA = new FakeBroker('broker-a', script);
const brokerB = new FakeBroker('broker-b', script);

before(async () => {
  await Promise.all([ns.start(), brokerA.start(), brokerB.start()]);
});
after(async () => {
  await Promise.all([ns.shutdown(), brokerA.shutdown(), brokerB.shutdown()]);
});

/** A topic routed to both brokers (broker-a first after sorting), and a started producer with its own instance. */
async function setup(
  t: TestContext,
  extra: Partial<ProducerOptions> = {},
  brokers = [brokerA, brokerB],
): Promise<{ topic: string; producer: Producer; instance: ClientInstance }> {
  script.replies.length = 0;
  const topic = uniqueName('T');
  ns.routes.set(topic, routeOf(brokers.map((b) => ({ name: b.name, addr: b.address, queues: 2 }))));
  const instance = new ClientInstance({ namesrvAddr: ns.address, instanceName: uniqueName('i'), clientIP: '127.0.0.1' });
  const producer = new Producer({ namesrvAddr: ns.address, group: uniqueName('PG'), clientInstance: instance, ...extra });
  await producer.start();
  t.after(async () => {
    await producer.shutdown();
    await instance.shutdown();
  });
  return { topic, producer, instance };
}


function sendsFor(topic: string): Array<{ broker: string; header: ReturnType<typeof SendMessageRequestHeaderV2.decode>; body: Buffer; code: number }> {
  const out = [];
  for (const { broker, request: r } of script.log) {
    const header = SendMessageRequestHeaderV2.decode(r.extFields);
    if (header.b === topic) out.push({ broker, header, body: r.body ?? Buffer.alloc(0), code: r.code });
  }
  return out;
}

describe('Producer.send', () => {
  test('sends SEND_MESSAGE_V2 with single-letter header fields and UNIQ_KEY/TAGS/KEYS/user properties', async (t) => {
    const { topic, producer } = await setup(t);
    const group = producer.group;
    const r = await producer.send({ topic, body: 'hello', tags: 'TagA', keys: ['k1', 'k2'], properties: { color: 'red' }, flag: 7 });
    const sent = sendsFor(topic);
    assert.equal(sent.length, 1);
    const s = sent[0];
    assert.equal(s.code, RequestCode.SEND_MESSAGE_V2);
    assert.equal(s.header.a, group);
    assert.equal(s.header.c, 'TBW102');
    assert.equal(s.header.d, 4);
    assert.equal(s.header.f, 0);
    assert.equal(s.header.h, 7);
    assert.equal(s.header.m, false);
    assert.equal(s.header.n, s.broker);
    assert.ok(Math.abs(s.header.g - Date.now()) < 60_000);
    assert.equal(s.body.toString(), 'hello');
    const props = decodeProperties(s.header.i ?? '');
    assert.equal(props.TAGS, 'TagA');
    assert.equal(props.KEYS, 'k1 k2');
    assert.equal(props.color, 'red');
    assert.equal(props.WAIT, 'true');
    assert.match(props.UNIQ_KEY, /^[0-9A-F]{32}$/);
    assert.equal(r.status, SendStatus.SEND_OK);
    assert.equal(r.msgId, props.UNIQ_KEY);
    assert.match(r.offsetMsgId, /^7F00000100002A9F/);
    assert.equal(r.messageQueue.topic, topic);
    assert.equal(r.messageQueue.brokerName, s.broker);
    assert.equal(r.messageQueue.queueId, s.header.e);
    assert.equal(r.regionId, 'DefaultRegion');
    assert.equal(r.transactionId, props.UNIQ_KEY);
  });

  test('every message gets its own UNIQ_KEY; delay level and deliver time become properties', async (t) => {
    const { topic, producer } = await setup(t);
    const r1 = await producer.send({ topic, body: 'a', delayTimeLevel: 3 });
    const r2 = await producer.send({ topic, body: 'b', deliverTimeMs: 1_900_000_000_000 });
    assert.notEqual(r1.msgId, r2.msgId);
    const [s1, s2] = sendsFor(topic);
    assert.equal(decodeProperties(s1.header.i ?? '').DELAY, '3');
    assert.equal(decodeProperties(s2.header.i ?? '').TIMER_DELIVER_MS, '1900000000000');
  });

  test('bodies of 4 KiB and more are zlib-compressed with sysFlag COMPRESSED|ZLIB; smaller ones are not', async (t) => {
    const { topic, producer } = await setup(t);
    const big = Buffer.alloc(4096, 'x');
    await producer.send({ topic, body: big });
    await producer.send({ topic, body: Buffer.alloc(4095, 'y') });
    const [s1, s2] = sendsFor(topic);
    assert.equal(s1.header.f, 0x301);
    assert.ok(s1.body.length < big.length);
    assert.deepEqual(inflateSync(s1.body), big);
    assert.equal(s2.header.f, 0);
    assert.equal(s2.body.length, 4095);
  });

  test('non-SEND_OK stored statuses are returned, not retried', async (t) => {
    const { topic, producer } = await setup(t, {}, [brokerA]);
    script.replies.push({ code: ResponseCode.FLUSH_DISK_TIMEOUT });
    const r = await producer.send({ topic, body: 'x' });
    assert.equal(r.status, SendStatus.FLUSH_DISK_TIMEOUT);
    assert.equal(sendsFor(topic).length, 1);
  });

  test('a retriable reply is retried on the other broker', async (t) => {
    const { topic, producer } = await setup(t);
    // Whichever broker gets the first attempt answers SYSTEM_BUSY.
    script.replies.push({ code: ResponseCode.SYSTEM_BUSY });
    const r = await producer.send({ topic, body: 'x' });
    const sent = sendsFor(topic);
    assert.equal(sent.length, 2);
    assert.notEqual(sent[0].broker, sent[1].broker);
    assert.equal(r.messageQueue.brokerName, sent[1].broker);
    // Both attempts carry the same message.
    assert.equal(decodeProperties(sent[0].header.i ?? '').UNIQ_KEY, r.msgId);
    assert.equal(decodeProperties(sent[1].header.i ?? '').UNIQ_KEY, r.msgId);
  });

  test('a non-retriable reply is thrown at once as RocketMQError with the responseCode', async (t) => {
    const { topic, producer } = await setup(t);
    script.replies.push({ code: ResponseCode.MESSAGE_ILLEGAL, remark: 'too big' });
    await assert.rejects(producer.send({ topic, body: 'x' }), (e: unknown) => {
      assert.ok(e instanceof RocketMQError);
      assert.equal(e.code, 'ERR_ROCKETMQ_BROKER_RESPONSE');
      assert.equal(e.responseCode, ResponseCode.MESSAGE_ILLEGAL);
      assert.equal(e.retriable, false);
      assert.match(e.message, /too big/);
      return true;
    });
    assert.equal(sendsFor(topic).length, 1);
  });

  test('gives up after 1 + retryTimesWhenSendFailed attempts', async (t) => {
    const { topic, producer } = await setup(t, { retryTimesWhenSendFailed: 1 });
    script.replies.push({ code: ResponseCode.SERVICE_NOT_AVAILABLE }, { code: ResponseCode.SERVICE_NOT_AVAILABLE }, { code: ResponseCode.SERVICE_NOT_AVAILABLE });
    await assert.rejects(producer.send({ topic, body: 'x' }), (e: unknown) => e instanceof RocketMQError && e.responseCode === 14 && e.retriable);
    assert.equal(sendsFor(topic).length, 2);
  });

  test('a broker that failed is avoided by the following sends', async (t) => {
    const { topic, producer } = await setup(t);
    script.replies.push({ code: ResponseCode.SYSTEM_BUSY });
    await producer.send({ topic, body: 'first' });
    const failed = sendsFor(topic)[0].broker;
    for (let i = 0; i < 6; i++) await producer.send({ topic, body: `n${i}` });
    const later = sendsFor(topic).slice(2);
    assert.equal(later.length, 6);
    assert.ok(later.every((s) => s.broker !== failed), `sends went to ${later.map((s) => s.broker).join(',')}, failed was ${failed}`);
  });

  test('without fault tolerance, sends spread over both brokers round-robin', async (t) => {
    const { topic, producer } = await setup(t, { sendLatencyFaultEnable: false });
    for (let i = 0; i < 8; i++) await producer.send({ topic, body: `n${i}` });
    const brokers = new Set(sendsFor(topic).map((s) => s.broker));
    assert.equal(brokers.size, 2);
  });

  test('unknown topic: falls back to the TBW102 route with min(4, queues) queues', async (t) => {
    const { producer } = await setup(t);
    ns.routes.set('TBW102', routeOf([{ name: brokerA.name, addr: brokerA.address, queues: 8, perm: 7 }]));
    const topic = uniqueName('NEW');
    const r = await producer.send({ topic, body: 'auto' });
    const s = sendsFor(topic);
    assert.equal(s.length, 1);
    assert.equal(s[0].broker, brokerA.name);
    assert.equal(s[0].header.c, 'TBW102');
    assert.ok(s[0].header.e < 4);
    assert.equal(r.status, SendStatus.SEND_OK);
    assert.equal((await producer.fetchPublishQueues(topic)).length, 4);
    ns.routes.delete('TBW102');
  });

  test('unknown topic and no TBW102 route: TOPIC_NOT_EXIST error', async (t) => {
    const { producer } = await setup(t);
    await assert.rejects(producer.send({ topic: uniqueName('NONE'), body: 'x' }), (e: unknown) => e instanceof RocketMQError && e.responseCode === 17);
  });

  test('selectByHash sends every message of a key to one queue, with no retry', async (t) => {
    const { topic, producer } = await setup(t);
    const queues = await producer.fetchPublishQueues(topic);
    for (let i = 0; i < 5; i++) await producer.send({ topic, body: `o${i}` }, { selector: selectByHash, selectorArg: 'order-42' });
    const sent = sendsFor(topic);
    assert.equal(new Set(sent.map((s) => `${s.broker}/${s.header.e}`)).size, 1);
    // Java: |"order-42".hashCode()| % 4
    let h = 0;
    for (const c of 'order-42') h = (Math.imul(31, h) + c.charCodeAt(0)) | 0;
    const expected = queues[Math.abs(h) % queues.length];
    assert.equal(sent[0].broker, expected.brokerName);
    assert.equal(sent[0].header.e, expected.queueId);
  });

  test('a custom selector and an explicit queue are honoured', async (t) => {
    const { topic, producer } = await setup(t);
    await producer.send({ topic, body: 'x' }, { selector: (qs) => qs[qs.length - 1] });
    await producer.send({ topic, body: 'y' }, { queue: { topic, brokerName: brokerA.name, queueId: 1 } });
    const [s1, s2] = sendsFor(topic);
    assert.equal(s1.broker, brokerB.name);
    assert.equal(s1.header.e, 1);
    assert.equal(s2.broker, brokerA.name);
    assert.equal(s2.header.e, 1);
  });

  test('sendOneway writes a oneway SEND_MESSAGE_V2', async (t) => {
    const { topic, producer } = await setup(t, {}, [brokerA]);
    const next = brokerA.next(RequestCode.SEND_MESSAGE_V2);
    await producer.sendOneway({ topic, body: 'fire' });
    const req = await next;
    assert.ok(req.isOneway);
    assert.equal(req.body?.toString(), 'fire');
  });

  test('rejects bad messages before sending', async (t) => {
    const { topic, producer } = await setup(t);
    const bad: Message[] = [
      { topic: 'bad topic', body: 'x' },
      { topic, body: '' },
      { topic, body: 'x', properties: { TAGS: 'sneaky' } },
      { topic, body: Buffer.alloc(4 * 1024 * 1024 + 1) },
    ];
    for (const m of bad) await assert.rejects(producer.send(m), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_INVALID_ARGUMENT');
    assert.equal(sendsFor(topic).length, 0);
  });

  test('send before start / after shutdown throws NOT_RUNNING', async () => {
    const p = new Producer({ namesrvAddr: ns.address, group: uniqueName('PG') });
    await assert.rejects(p.send({ topic: 'T', body: 'x' }), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_NOT_RUNNING');
  });
});

describe('Producer.sendBatch', () => {
  test('sends SEND_BATCH_MESSAGE whose body decodes into the messages, each with its UNIQ_KEY', async (t) => {
    const { topic, producer } = await setup(t, {}, [brokerA]);
    const msgs: Message[] = [
      { topic, body: 'one', tags: 'A', keys: 'k1' },
      { topic, body: Buffer.from('two'), properties: { p: 'v' }, flag: 3 },
    ];
    const r = await producer.sendBatch(msgs);
    const [s] = sendsFor(topic);
    assert.equal(s.code, RequestCode.SEND_BATCH_MESSAGE);
    assert.equal(s.header.m, true);
    const entries = decodeBatchBody(s.body);
    assert.equal(entries.length, 2);
    assert.equal(entries[0].body.toString(), 'one');
    assert.equal(decodeProperties(entries[0].propertiesText).TAGS, 'A');
    assert.equal(decodeProperties(entries[0].propertiesText).KEYS, 'k1');
    assert.equal(entries[1].body.toString(), 'two');
    assert.equal(entries[1].flag, 3);
    assert.equal(decodeProperties(entries[1].propertiesText).p, 'v');
    const keys = entries.map((e) => decodeProperties(e.propertiesText).UNIQ_KEY);
    assert.ok(keys.every((k) => /^[0-9A-F]{32}$/.test(k)));
    assert.equal(r.msgId, keys.join(','));
    assert.equal(decodeProperties(s.header.i ?? '').WAIT, 'true');
  });

  test('rejects mixed topics and delayed messages', async (t) => {
    const { topic, producer } = await setup(t, {}, [brokerA]);
    await assert.rejects(producer.sendBatch([{ topic, body: 'a' }, { topic: `${topic}x`, body: 'b' }]), RocketMQError);
    await assert.rejects(producer.sendBatch([{ topic, body: 'a', delayTimeLevel: 2 }]), RocketMQError);
  });

  test('splitBatch output fits the limit and sends in order', async (t) => {
    const { topic, producer } = await setup(t, {}, [brokerA]);
    const msgs: Message[] = Array.from({ length: 10 }, (_, i) => ({ topic, body: Buffer.alloc(1000, i) }));
    const batches = splitBatch(msgs, 3500);
    assert.deepEqual(batches.map((b) => b.length), [3, 3, 3, 1]);
    for (const b of batches) await producer.sendBatch(b, {});
    const bodies = sendsFor(topic).flatMap((s) => decodeBatchBody(s.body).map((e) => e.body[0]));
    assert.deepEqual(bodies, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
