import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, RocketMQError } from '../../../../src/common/errors.ts';
import { parseHeartbeatData, serializeHeartbeatData } from '../../../../src/remoting/protocol/body/heartbeat-data.ts';
import type { HeartbeatData } from '../../../../src/remoting/protocol/body/heartbeat-data.ts';

test('HeartbeatData: fastjson order on the wire, and back', () => {
  const hb: HeartbeatData = {
    clientID: '10.1.2.3@77',
    producerDataSet: [{ groupName: 'PG_hb' }],
    consumerDataSet: [{
      groupName: 'CG_hb',
      consumeType: 'CONSUME_ACTIVELY',
      messageModel: 'BROADCASTING',
      consumeFromWhere: 'CONSUME_FROM_TIMESTAMP',
      subscriptionDataSet: [{ topic: 'T_hb', subString: 'a || b', tagsSet: ['a', 'b'], codeSet: [97, 98], subVersion: 1234, expressionType: 'TAG', classFilterMode: false }],
      unitMode: true,
    }],
    heartbeatFingerprint: 0,
    withoutSub: false,
  };
  const body = serializeHeartbeatData(hb);
  assert.equal(
    body.toString(),
    '{"clientID":"10.1.2.3@77","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_TIMESTAMP","consumeType":"CONSUME_ACTIVELY",' +
      '"groupName":"CG_hb","messageModel":"BROADCASTING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[97,98],' +
      '"expressionType":"TAG","subString":"a || b","subVersion":1234,"tagsSet":["a","b"],"topic":"T_hb"}],"unitMode":true}],' +
      '"heartbeatFingerprint":0,"producerDataSet":[{"groupName":"PG_hb"}],"withoutSub":false}',
  );
  assert.deepEqual(parseHeartbeatData(body), hb);
});

test('HeartbeatData: a wrong type is a PROTOCOL error naming the path', () => {
  assert.throws(
    () => parseHeartbeatData('{"clientID":"c","consumerDataSet":[{"groupName":"g","subscriptionDataSet":[{"topic":5}]}]}'),
    (e: unknown) => e instanceof RocketMQError && e.code === ERROR_CODES.PROTOCOL && /consumerDataSet\[0\]\.subscriptionDataSet\[0\]\.topic is not a string/.test(e.message),
  );
});
