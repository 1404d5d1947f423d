// QUERY/UPDATE_CONSUMER_OFFSET 14/15 and the queue offset requests 29/30/31/32 (queue-offset-processor.ts) over the wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { BrokerHarness, uniq } from '../../integration/broker-harness.ts';

test('consumer offsets: new group on a queue starting at 0 → 0; setZeroIfNotFound=false → 22; -1 ignored; bad input', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_off');
    const group = uniq('G_off');
    h.createTopic(topic, { readQueueNums: 2, writeQueueNums: 2 });
    let r = await h.invoke(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 0 });
    assert.equal(r.code, ResponseCode.SUCCESS);
    assert.equal(r.ext('offset'), '0');
    r = await h.invoke(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 0, setZeroIfNotFound: false });
    assert.equal(r.code, ResponseCode.QUERY_NOT_FOUND);

    assert.equal((await h.invoke(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 1, commitOffset: 42 })).code, 0);
    assert.equal((await h.invoke(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 1, commitOffset: -1 })).code, 0);
    r = await h.invoke(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 1 });
    assert.equal(r.ext('offset'), '42', 'ali-ons -1 does not overwrite');

    const bad: Array<[string, Record<string, unknown>, number, RegExp]> = [
      ['unknown topic', { consumerGroup: group, topic: uniq('T_no'), queueId: 0, commitOffset: 1 }, ResponseCode.TOPIC_NOT_EXIST, /not exist/],
      ['queueId', { consumerGroup: group, topic, queueId: 2, commitOffset: 1 }, ResponseCode.INVALID_PARAMETER, /queueId\[2\] is illegal/],
      ['missing', { consumerGroup: group, topic, queueId: 0 }, ResponseCode.SYSTEM_ERROR, /missing required field 'commitOffset'/],
    ];
    for (const [what, ext, code, remark] of bad) {
      const res = await h.invoke(RequestCode.UPDATE_CONSUMER_OFFSET, ext);
      assert.equal(res.code, code, `${what}: ${res.remark}`);
      assert.match(res.remark ?? '', remark);
    }
  } finally {
    await h.close();
  }
});

test('GET_MAX/MIN_OFFSET, GET_EARLIEST_MSG_STORETIME, SEARCH_OFFSET_BY_TIMESTAMP', async () => {
  const h = await BrokerHarness.start({ namesrv: false });
  try {
    const topic = uniq('T_q');
    h.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
    const before = Date.now();
    for (let i = 0; i < 3; i++) await h.send(topic, `m${i}`);
    h.dispatch();
    const q = { topic, queueId: 0 };
    assert.equal((await h.invoke(RequestCode.GET_MAX_OFFSET, q)).ext('offset'), '3');
    assert.equal((await h.invoke(RequestCode.GET_MIN_OFFSET, q)).ext('offset'), '0');
    const earliest = Number((await h.invoke(RequestCode.GET_EARLIEST_MSG_STORETIME, q)).ext('timestamp'));
    assert.ok(earliest >= before && earliest <= Date.now(), `earliest ${earliest}`);
    assert.equal((await h.invoke(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { ...q, timestamp: 0 })).ext('offset'), '0');
    assert.equal((await h.invoke(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { ...q, timestamp: Date.now() + 60_000 })).ext('offset'), '3');
    assert.equal((await h.invoke(RequestCode.GET_MAX_OFFSET, { topic: uniq('T_none'), queueId: 0 })).ext('offset'), '0');
    const bad = await h.invoke(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { ...q, timestamp: 1, boundaryType: 'middle' });
    assert.equal(bad.code, ResponseCode.INVALID_PARAMETER);
    const neg = await h.invoke(RequestCode.GET_MIN_OFFSET, { topic, queueId: -3 });
    assert.equal(neg.code, ResponseCode.INVALID_PARAMETER);
    const missing = await h.invoke(RequestCode.GET_MAX_OFFSET, { topic });
    assert.equal(missing.code, ResponseCode.SYSTEM_ERROR);
    assert.match(missing.remark ?? '', /queueId/);
  } finally {
    await h.close();
  }
});
