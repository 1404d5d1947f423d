// QUERY_MESSAGE 12 (by key and by UNIQ_KEY) and VIEW_MESSAGE_BY_ID 33 (offset from the offsetMsgId) over the wire,
// plus the topic admin requests 17/21/215/351 (topic-admin-processor.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, decodeBody, uniq } from '../../integration/broker-harness.ts';

test('QUERY_MESSAGE by key and by unique key; 22 when nothing matches; VIEW_MESSAGE_BY_ID', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_qm');
    h.createTopic(topic);
    const sent = await h.send(topic, 'find me', { keys: 'order-1 order-2' });
    await h.send(topic, 'other', { keys: 'order-3' });
    h.dispatch();
    const range = { beginTimestamp: 0, endTimestamp: Date.now() + 60_000 };
    const byKey = await h.invoke(RequestCode.QUERY_MESSAGE, { topic, key: 'order-2', maxNum: 32, ...range });
    assert.equal(byKey.code, ResponseCode.SUCCESS, byKey.remark);
    assert.deepEqual(decodeBody(byKey).map((m) => m.body.toString()), ['find me']);
    assert.ok(byKey.ext('indexLastUpdateTimestamp'));

    const uniqKey = sent.ext('transactionId') ?? '';
    const byUniq = await h.invoke(RequestCode.QUERY_MESSAGE, { topic, key: uniqKey, maxNum: 1, _UNIQUE_KEY_QUERY: true, ...range });
    assert.deepEqual(decodeBody(byUniq).map((m) => m.body.toString()), ['find me']);

    const none = await h.invoke(RequestCode.QUERY_MESSAGE, { topic, key: 'nope', maxNum: 32, ...range });
    assert.equal(none.code, ResponseCode.QUERY_NOT_FOUND);
    const bad = await h.invoke(RequestCode.QUERY_MESSAGE, { topic, key: 'x', maxNum: 0, ...range });
    assert.equal(bad.code, ResponseCode.INVALID_PARAMETER);

    const { offset } = decodeOffsetMsgId(sent.ext('msgId') ?? '');
    const view = await h.invoke(RequestCode.VIEW_MESSAGE_BY_ID, { topic, offset });
    assert.equal(view.code, ResponseCode.SUCCESS);
    assert.equal(decodeBody(view)[0].msgId, sent.ext('msgId'));
    const miss = await h.invoke(RequestCode.VIEW_MESSAGE_BY_ID, { topic, offset: offset + 1 });
    assert.equal(miss.code, ResponseCode.SYSTEM_ERROR);
    assert.match(miss.remark ?? '', /can not find message by the offset/);
  } finally {
    await h.close();
  }
});

test('topic admin: create (17), read (351, 21), delete (215); name rules and system topics refused', async () => {
  const h = await BrokerHarness.start();
  try {
    const topic = uniq('T_adm');
    const create = {
      topic,
      defaultTopic: 'TBW102',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      order: false,
      attributes: '+message.type=NORMAL',
    };
    const r = await h.invoke(RequestCode.UPDATE_AND_CREATE_TOPIC, create);
    assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    const one = await h.invoke(RequestCode.GET_TOPIC_CONFIG, { topic });
    const tc = JSON.parse(one.body?.toString() ?? '{}') as { readQueueNums: number; attributes: Record<string, string> };
    assert.equal(tc.readQueueNums, 2);
    assert.equal(tc.attributes['message.type'], 'NORMAL');
    const all = JSON.parse((await h.invoke(RequestCode.GET_ALL_TOPIC_CONFIG)).body?.toString() ?? '{}') as {
      topicConfigTable: Record<string, unknown>;
    };
    assert.ok(all.topicConfigTable[topic]);

    assert.equal((await h.invoke(RequestCode.UPDATE_AND_CREATE_TOPIC, { ...create, topic: 'bad name' })).code, ResponseCode.INVALID_PARAMETER);
    const sys = await h.invoke(RequestCode.UPDATE_AND_CREATE_TOPIC, { ...create, topic: 'SCHEDULE_TOPIC_XXXX' });
    assert.equal(sys.code, ResponseCode.SYSTEM_ERROR);
    assert.match(sys.remark ?? '', /conflict with system topic/);
    const filter = await h.invoke(RequestCode.UPDATE_AND_CREATE_TOPIC, { ...create, topicFilterType: 'NONE' });
    assert.equal(filter.code, ResponseCode.INVALID_PARAMETER);

    assert.equal((await h.invoke(RequestCode.DELETE_TOPIC_IN_BROKER, { topic })).code, ResponseCode.SUCCESS);
    assert.equal((await h.invoke(RequestCode.GET_TOPIC_CONFIG, { topic })).code, ResponseCode.TOPIC_NOT_EXIST);
  } finally {
    await h.close();
  }
});
