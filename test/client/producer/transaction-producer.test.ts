import { after, before, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ClientInstance } from '../../../src/client/instance/client-instance.ts';
import { LocalTransactionState, TransactionProducer } from '../../../src/client/index.ts';
import type { Message, MessageView, TransactionListener } from '../../../src/client/index.ts';
import { RocketMQError } from '../../../src/common/errors.ts';
import { encodeFullMessage } from '../../../src/common/message/full-message.ts';
import { decodeOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { decodeProperties } from '../../../src/common/message/message-properties.ts';
import { SendMessageRequestHeaderV2 } from '../../../src/remoting/protocol/headers/broker-headers.ts';
import { CheckTransactionStateRequestHeader } from '../../../src/remoting/protocol/headers/transaction-headers.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { FakeBroker, FakeNamesrv, routeOf, sendScript, uniqueName, until } from '../helpers.ts';

const ns = new FakeNamesrv();
const script = sendScript();
const broker = new FakeBroker('broker-a', script);

before(async () => {
  await Promise.all([ns.start(), broker.start()]);
});
after(async () => {
  await Promise.all([ns.shutdown(), broker.shutdown()]);
});

interface Calls {
  execute: Array<{ message: Message; arg: unknown; transactionId: string }>;
  check: MessageView[];
}

async function setup(
  t: TestContext,
  execute: (m: Message, arg: unknown) => LocalTransactionState | Promise<LocalTransactionState>,
  check: (m: MessageView) => LocalTransactionState | Promise<LocalTransactionState> = () => LocalTransactionState.UNKNOW,
  b: FakeBroker = broker,
): Promise<{ topic: string; producer: TransactionProducer; calls: Calls }> {
  script.replies.length = 0;
  const topic = uniqueName('T');
  ns.routes.set(topic, routeOf([{ name: b.name, addr: b.address, queues: 1 }]));
  const calls: Calls = { execute: [], check: [] };
  const listener: TransactionListener = {
    executeLocalTransaction(message, arg, half) {
      calls.execute.push({ message, arg, transactionId: half.transactionId });
      return execute(message, arg);
    },
    checkLocalTransaction(message) {
      calls.check.push(message);
      return check(message);
    },
  };
  const instance = new ClientInstance({ namesrvAddr: ns.address, instanceName: uniqueName('i'), clientIP: '127.0.0.1' });
  const producer = new TransactionProducer({ namesrvAddr: ns.address, group: uniqueName('TPG'), clientInstance: instance, transactionListener: listener });
  await producer.start();
  t.after(async () => {
    await producer.shutdown();
    await instance.shutdown();
  });
  return { topic, producer, calls };
}

function endFor(group: string, b: FakeBroker = broker): Promise<RemotingCommand> {
  return new Promise((resolve) => {
    const look = (): void => {
      const r = b.received(RequestCode.END_TRANSACTION).find((x) => x.ext('producerGroup') === group);
      if (r) resolve(r);
      else setImmediate(look);
    };
    look();
  });
}

test('commit: half message with TRAN_MSG/PGROUP and the PREPARED sysFlag, then END_TRANSACTION oneway with exact headers', async (t) => {
  const { topic, producer, calls } = await setup(t, () => LocalTransactionState.COMMIT_MESSAGE);
  const r = await producer.sendMessageInTransaction({ topic, body: 'order-1', keys: 'k1', delayTimeLevel: 3 }, { orderId: 1 });
  assert.equal(r.localTransactionState, 'COMMIT_MESSAGE');
  assert.equal(r.status, 'SEND_OK');

  const send = script.log.find((l) => SendMessageRequestHeaderV2.decode(l.request.extFields).b === topic);
  assert.ok(send);
  const h = SendMessageRequestHeaderV2.decode(send.request.extFields);
  assert.equal(h.f & 0xc, 0x4);
  assert.equal(h.a, producer.group);
  const props = decodeProperties(h.i ?? '');
  assert.equal(props.TRAN_MSG, 'true');
  assert.equal(props.PGROUP, producer.group);
  assert.equal(props.DELAY, undefined, 'a delay level is dropped on transactional messages');
  assert.equal(props.UNIQ_KEY, r.msgId);

  assert.equal(calls.execute.length, 1);
  assert.deepEqual(calls.execute[0].arg, { orderId: 1 });
  assert.equal(calls.execute[0].transactionId, r.msgId);

  const end = await endFor(producer.group);
  assert.equal(end.isOneway, true);
  assert.equal(end.remark, undefined);
  assert.deepEqual(end.extFields, {
    topic,
    producerGroup: producer.group,
    tranStateTableOffset: String(r.queueOffset),
    commitLogOffset: String(decodeOffsetMsgId(r.offsetMsgId).offset),
    commitOrRollback: '8',
    fromTransactionCheck: 'false',
    msgId: r.msgId,
    transactionId: r.transactionId,
    bname: 'broker-a',
  });
});

test('rollback and unknown (a throwing local transaction) map to 12 and 0; the exception text goes in the remark', async (t) => {
  const rb = await setup(t, () => LocalTransactionState.ROLLBACK_MESSAGE);
  const r1 = await rb.producer.sendMessageInTransaction({ topic: rb.topic, body: 'x' });
  assert.equal(r1.localTransactionState, 'ROLLBACK_MESSAGE');
  assert.equal((await endFor(rb.producer.group)).ext('commitOrRollback'), '12');

  const un = await setup(t, async () => {
    throw new Error('db down');
  });
  const r2 = await un.producer.sendMessageInTransaction({ topic: un.topic, body: 'x' });
  assert.equal(r2.localTransactionState, 'UNKNOW');
  const end = await endFor(un.producer.group);
  assert.equal(end.ext('commitOrRollback'), '0');
  assert.equal(end.remark, 'executeLocalTransactionBranch exception: db down');
});

test('a stored-but-not-OK send rolls back without running the local transaction; a failed send throws', async (t) => {
  const s = await setup(t, () => LocalTransactionState.COMMIT_MESSAGE);
  script.replies.push({ code: ResponseCode.FLUSH_DISK_TIMEOUT });
  const r = await s.producer.sendMessageInTransaction({ topic: s.topic, body: 'x' });
  assert.equal(r.status, 'FLUSH_DISK_TIMEOUT');
  assert.equal(r.localTransactionState, 'ROLLBACK_MESSAGE');
  assert.equal(s.calls.execute.length, 0);
  assert.equal((await endFor(s.producer.group)).ext('commitOrRollback'), '12');

  const f = await setup(t, () => LocalTransactionState.COMMIT_MESSAGE);
  script.replies.push({ code: ResponseCode.MESSAGE_ILLEGAL, remark: 'too big' });
  await assert.rejects(f.producer.sendMessageInTransaction({ topic: f.topic, body: 'x' }), (e: unknown) => e instanceof RocketMQError && e.responseCode === 13);
  assert.equal(f.calls.execute.length, 0);
});

async function sendCheck(b: FakeBroker, group: string, topic: string, uniq: string): Promise<void> {
  // The producer connects to the broker when it heartbeats/sends; the check goes back down that connection.
  await until(() => [...b.server.channels()].some((c) => !c.closed), 'producer connected');
  const channel = [...b.server.channels()].find((c) => !c.closed);
  assert.ok(channel);
  const body = encodeFullMessage({
    topic, queueId: 0, flag: 0, body: Buffer.from('half-body'),
    properties: { UNIQ_KEY: uniq, PGROUP: group, TRAN_MSG: 'true', KEYS: 'k9', __transactionId__: uniq },
    sysFlag: 0, bornTimestamp: 1, bornHost: { address: '127.0.0.1', port: 1 }, storeTimestamp: 2, storeHost: { address: '127.0.0.1', port: 2 },
    reconsumeTimes: 0, preparedTransactionOffset: 0, queueOffset: 7, commitLogOffset: 1234,
  });
  const ext = CheckTransactionStateRequestHeader.encode({
    topic, tranStateTableOffset: 7, commitLogOffset: 1234, msgId: uniq, transactionId: uniq, offsetMsgId: '7F00000100002A9F00000000000004D2', bname: b.name,
  });
  channel.invokeOneway(RemotingCommand.request(RequestCode.CHECK_TRANSACTION_STATE, ext, body));
}

test('CHECK_TRANSACTION_STATE: checkLocalTransaction decides, END_TRANSACTION fromTransactionCheck=true goes back to that broker', async (t) => {
  const b = new FakeBroker('broker-a', script);
  await b.start();
  t.after(() => b.shutdown());
  const s = await setup(t, () => LocalTransactionState.UNKNOW, () => LocalTransactionState.COMMIT_MESSAGE, b);
  await s.producer.sendMessageInTransaction({ topic: s.topic, body: 'first' }); // connects; its END is UNKNOW
  const uniq = 'C0FFEE00000000000000000000000001';
  await sendCheck(b, s.producer.group, s.topic, uniq);
  await until(() => b.received(RequestCode.END_TRANSACTION).some((r) => r.ext('fromTransactionCheck') === 'true'), 'check answered');
  const end = b.received(RequestCode.END_TRANSACTION).find((r) => r.ext('fromTransactionCheck') === 'true');
  assert.equal(end?.isOneway, true);
  assert.deepEqual(end?.extFields, {
    topic: s.topic,
    producerGroup: s.producer.group,
    tranStateTableOffset: '7',
    commitLogOffset: '1234',
    commitOrRollback: '8',
    fromTransactionCheck: 'true',
    msgId: uniq,
    transactionId: uniq,
    bname: 'broker-a',
  });
  assert.equal(s.calls.check.length, 1);
  assert.equal(s.calls.check[0].body.toString(), 'half-body');
  assert.deepEqual(s.calls.check[0].keys, ['k9']);
  assert.equal(s.calls.check[0].transactionId, uniq);
});

test('CHECK_TRANSACTION_STATE with a throwing checkLocalTransaction answers 0 with the exception in the remark', async (t) => {
  const b = new FakeBroker('broker-a', script);
  await b.start();
  t.after(() => b.shutdown());
  const s = await setup(t, () => LocalTransactionState.COMMIT_MESSAGE, () => {
    throw new Error('lookup failed');
  }, b);
  await s.producer.sendMessageInTransaction({ topic: s.topic, body: 'first' });
  await sendCheck(b, s.producer.group, s.topic, 'C0FFEE00000000000000000000000002');
  await until(() => b.received(RequestCode.END_TRANSACTION).some((r) => r.ext('fromTransactionCheck') === 'true'), 'check answered');
  const end = b.received(RequestCode.END_TRANSACTION).find((r) => r.ext('fromTransactionCheck') === 'true');
  assert.equal(end?.ext('commitOrRollback'), '0');
  assert.equal(end?.remark, 'checkLocalTransactionState Exception: lookup failed');
});
