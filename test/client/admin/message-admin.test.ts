import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { RocketMQError } from '../../../src/common/errors.ts';
import { MessageSysFlag } from '../../../src/common/message/message-const.ts';
import { createOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { encodeRecord } from '../../../src/common/message/message-record.ts';
import { MAX_TIMESTAMP } from '../../../src/client/admin/message-admin.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { deadAddress, uniqueName } from '../helpers.ts';
import { AdminFixture } from './admin-fakes.ts';
import type { ScriptedServer } from './admin-fakes.ts';

let f: AdminFixture;
before(async () => {
  f = await AdminFixture.start();
});
after(async () => {
  await f.close();
});

function portOf(s: ScriptedServer): number {
  return Number(s.address.split(':')[1]);
}

function record(b: ScriptedServer, o: { topic: string; offset: number; props: Record<string, string>; body?: Buffer; sysFlag?: number; queueOffset?: number }): Buffer {
  return encodeRecord({
    topic: o.topic,
    queueId: 1,
    flag: 0,
    body: o.body ?? Buffer.from(`body@${o.offset}`),
    properties: encodeProperties(o.props),
    sysFlag: o.sysFlag ?? 0,
    bornTimestamp: 1_700_000_000_000,
    bornHost: { address: '10.1.2.3', port: 40000 },
    storeTimestamp: 1_700_000_000_000 + o.offset,
    storeHost: { address: '127.0.0.1', port: portOf(b) },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    queueOffset: o.queueOffset ?? 0,
    commitLogOffset: o.offset,
  });
}

test('viewMessage: the offsetMsgId names the broker and commit-log offset; the body is inflated', async () => {
  const topic = uniqueName('T');
  const raw = Buffer.from('x'.repeat(5000));
  f.brokerB.on(RequestCode.VIEW_MESSAGE_BY_ID, (req) =>
    RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, undefined, record(f.brokerB, {
      topic, offset: Number(req.ext('offset')), body: deflateSync(raw), sysFlag: MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_ZLIB,
      props: { UNIQ_KEY: 'AABBCCDDEEFF00112233445566778899', KEYS: 'k1 k2', TAGS: 'TagA' },
    })));
  const id = createOffsetMsgId({ address: '127.0.0.1', port: portOf(f.brokerB) }, 6972);
  const m = await f.admin.viewMessage(id, topic);
  assert.deepEqual(f.brokerB.received(RequestCode.VIEW_MESSAGE_BY_ID).at(-1)?.extFields, { topic, offset: '6972' });
  assert.equal(m.offsetMsgId, id);
  assert.equal(m.msgId, 'AABBCCDDEEFF00112233445566778899');
  assert.deepEqual(m.keys, ['k1', 'k2']);
  assert.equal(m.tags, 'TagA');
  assert.equal(m.commitLogOffset, 6972);
  assert.equal(m.storeHost, f.brokerB.address);
  assert.equal(m.bornHost, '10.1.2.3:40000');
  assert.ok(m.body.equals(raw));
  await assert.rejects(f.admin.viewMessage('nothex'), (e: unknown) => e instanceof RocketMQError && e.code === 'ERR_ROCKETMQ_INVALID_ARGUMENT');
  f.brokerB.reply(RequestCode.VIEW_MESSAGE_BY_ID, undefined, undefined, ResponseCode.SYSTEM_ERROR, 'can not find message by the offset');
  await assert.rejects(f.admin.viewMessage(id), /can not find message/);
});

test('queryMessageByKey: QUERY_MESSAGE to every broker, exact key matches only, 22 is "none here"', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic);
  f.brokerA.on(RequestCode.QUERY_MESSAGE, (req) =>
    RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, { indexLastUpdateTimestamp: '1', indexLastUpdatePhyoffset: '2' }, Buffer.concat([
      record(f.brokerA, { topic, offset: 300, props: { KEYS: 'order-1 x', UNIQ_KEY: 'U1' } }),
      record(f.brokerA, { topic, offset: 100, props: { KEYS: 'order-10', UNIQ_KEY: 'U2' } }), // index hash collision
      record(f.brokerA, { topic: 'Other', offset: 200, props: { KEYS: 'order-1', UNIQ_KEY: 'U3' } }),
    ])));
  f.brokerB.reply(RequestCode.QUERY_MESSAGE, undefined, undefined, ResponseCode.QUERY_NOT_FOUND, 'can not find message');
  const found = await f.admin.queryMessageByKey(topic, 'order-1');
  assert.deepEqual(found.map((m) => m.msgId), ['U1']);
  for (const b of [f.brokerA, f.brokerB]) {
    assert.deepEqual(b.received(RequestCode.QUERY_MESSAGE).at(-1)?.extFields, {
      topic, key: 'order-1', maxNum: '64', beginTimestamp: '0', endTimestamp: String(MAX_TIMESTAMP), _UNIQUE_KEY_QUERY: 'false',
    });
  }
  // One broker failing is tolerated; all failing is an error.
  f.brokerB.reply(RequestCode.QUERY_MESSAGE, undefined, undefined, ResponseCode.SYSTEM_ERROR, 'index broken');
  assert.equal((await f.admin.queryMessageByKey(topic, 'order-1')).length, 1);
  f.brokerA.reply(RequestCode.QUERY_MESSAGE, undefined, undefined, ResponseCode.SYSTEM_ERROR, 'index broken');
  await assert.rejects(f.admin.queryMessageByKey(topic, 'order-1'), /failed on every broker.*index broken/);
});

test('queryMessageByUniqueKey / queryMessageById: _UNIQUE_KEY_QUERY=true, maxNum 32, UNIQ_KEY filter', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic);
  // Shaped like an offsetMsgId whose broker is not listening, so VIEW_MESSAGE_BY_ID fails fast.
  const uniq = createOffsetMsgId({ address: '127.0.0.1', port: Number((await deadAddress()).split(':')[1]) }, 171);
  for (const b of [f.brokerA, f.brokerB]) {
    b.on(RequestCode.QUERY_MESSAGE, (req) =>
      RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, { indexLastUpdateTimestamp: '1', indexLastUpdatePhyoffset: '2' },
        b === f.brokerA ? Buffer.concat([record(b, { topic, offset: 1, props: { UNIQ_KEY: uniq } }), record(b, { topic, offset: 2, props: { UNIQ_KEY: 'OTHER' } })]) : Buffer.alloc(0)));
  }
  const before = Date.now();
  const found = await f.admin.queryMessageByUniqueKey(topic, uniq);
  assert.deepEqual(found.map((m) => m.commitLogOffset), [1]);
  const req = f.brokerA.received(RequestCode.QUERY_MESSAGE).at(-1);
  assert.equal(req?.ext('_UNIQUE_KEY_QUERY'), 'true');
  assert.equal(req?.ext('maxNum'), '32');
  assert.equal(req?.ext('key'), uniq);
  const begin = Number(req?.ext('beginTimestamp'));
  assert.ok(begin <= before - 3 * 24 * 3600 * 1000 + 1000 && begin > before - 4 * 24 * 3600 * 1000);

  // queryMessageById: the id is not an offsetMsgId of a reachable broker (VIEW fails), so it is tried as a UNIQ_KEY.
  assert.equal((await f.admin.queryMessageById(uniq, topic))?.msgId, uniq);
  assert.equal(await f.admin.queryMessageById('NOT-A-KEY', topic), undefined);
  await assert.rejects(f.admin.queryMessageById('NOT-A-KEY'), /give the topic/);
});

test('queryMessageByOffset: PULL one message as TOOLS_CONSUMER; not-found statuses', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic);
  f.brokerB.on(RequestCode.PULL_MESSAGE, (req) =>
    RemotingCommand.responseTo(req, ResponseCode.SUCCESS, 'FOUND', { suggestWhichBrokerId: '0', nextBeginOffset: '6', minOffset: '0', maxOffset: '9' },
      record(f.brokerB, { topic, offset: 555, queueOffset: 5, props: { UNIQ_KEY: 'U5' } })));
  const r = await f.admin.queryMessageByOffset({ topic, brokerName: 'broker-b', queueId: 1 }, 5);
  assert.equal(r.status, 'FOUND');
  assert.equal(r.message?.queueOffset, 5);
  assert.equal(r.message?.msgId, 'U5');
  assert.deepEqual([r.nextBeginOffset, r.minOffset, r.maxOffset], [6, 0, 9]);
  assert.deepEqual(f.brokerB.received(RequestCode.PULL_MESSAGE).at(-1)?.extFields, {
    consumerGroup: 'TOOLS_CONSUMER', topic, queueId: '1', queueOffset: '5', maxMsgNums: '1', sysFlag: '4', commitOffset: '0',
    suspendTimeoutMillis: '20000', subscription: '*', subVersion: '0', expressionType: 'TAG',
  });
  const pullReply = (code: number) => (req: RemotingCommand) =>
    RemotingCommand.responseTo(req, code, undefined, { suggestWhichBrokerId: '0', nextBeginOffset: '9', minOffset: '0', maxOffset: '9' });
  f.brokerB.on(RequestCode.PULL_MESSAGE, pullReply(ResponseCode.PULL_NOT_FOUND));
  assert.equal((await f.admin.queryMessageByOffset({ topic, brokerName: 'broker-b', queueId: 1 }, 9)).status, 'NO_NEW_MSG');
  f.brokerB.on(RequestCode.PULL_MESSAGE, pullReply(ResponseCode.PULL_OFFSET_MOVED));
  const moved = await f.admin.queryMessageByOffset({ topic, brokerName: 'broker-b', queueId: 1 }, 99);
  assert.equal(moved.status, 'OFFSET_ILLEGAL');
  assert.equal(moved.message, undefined);
  await assert.rejects(f.admin.queryMessageByOffset({ topic, brokerName: 'broker-zzz', queueId: 0 }, 0), /not in the route/);
});

test('min/max/search offsets and earliest store time: headers with bname, values from the reply', async () => {
  const topic = uniqueName('T');
  f.routeTopic(topic);
  f.brokerA.reply(RequestCode.GET_MIN_OFFSET, { offset: '3' });
  f.brokerA.reply(RequestCode.GET_MAX_OFFSET, { offset: '42' });
  f.brokerA.reply(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { offset: '17' });
  f.brokerA.reply(RequestCode.GET_EARLIEST_MSG_STORETIME, { timestamp: '1700000000000' });
  const mq = { topic, brokerName: 'broker-a', queueId: 2 };
  assert.equal(await f.admin.minOffset(mq), 3);
  assert.equal(await f.admin.maxOffset(mq), 42);
  assert.equal(await f.admin.searchOffset(mq, 1234, 'upper'), 17);
  assert.equal(await f.admin.earliestMsgStoreTime(mq), 1700000000000);
  assert.deepEqual(f.brokerA.received(RequestCode.GET_MIN_OFFSET).at(-1)?.extFields, { topic, queueId: '2', bname: 'broker-a' });
  assert.deepEqual(f.brokerA.received(RequestCode.GET_MAX_OFFSET).at(-1)?.extFields, { topic, queueId: '2', committed: 'true', bname: 'broker-a' });
  assert.deepEqual(f.brokerA.received(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP).at(-1)?.extFields, { topic, queueId: '2', timestamp: '1234', boundaryType: 'upper', bname: 'broker-a' });
  assert.deepEqual(f.brokerA.received(RequestCode.GET_EARLIEST_MSG_STORETIME).at(-1)?.extFields, { topic, queueId: '2', bname: 'broker-a' });
});
