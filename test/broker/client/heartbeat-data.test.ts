import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeartbeatData } from '../../../src/broker/client/heartbeat-data.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

test('ali-ons heartbeat (no fingerprint/withoutSub, no expressionType)', () => {
  const body = Buffer.from(JSON.stringify({
    clientID: '10.0.0.5@1234',
    consumerDataSet: [{
      groupName: 'GID_ons',
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      subscriptionDataSet: [
        { topic: 'TopicA', subString: 'TagA || TagB', classFilterMode: false, tagsSet: ['TagA', 'TagB'], codeSet: [2598919, 2598920], subVersion: 1700000000123 },
        { topic: '%RETRY%GID_ons', subString: '*', classFilterMode: false, tagsSet: [], codeSet: [], subVersion: 1700000000124 },
      ],
      unitMode: false,
    }],
    producerDataSet: [{ groupName: 'CLIENT_INNER_PRODUCER' }],
  }));
  const hb = parseHeartbeatData(body);
  assert.equal(hb.clientID, '10.0.0.5@1234');
  assert.equal(hb.heartbeatFingerprint, 0);
  assert.equal(hb.withoutSub, false);
  assert.deepEqual(hb.producerDataSet, [{ groupName: 'CLIENT_INNER_PRODUCER' }]);
  const c = hb.consumerDataSet[0];
  assert.equal(c?.consumeType, 'CONSUME_PASSIVELY');
  assert.equal(c?.messageModel, 'CLUSTERING');
  assert.deepEqual(c?.subscriptionDataSet[0], {
    topic: 'TopicA', subString: 'TagA || TagB', tagsSet: ['TagA', 'TagB'], codeSet: [2598919, 2598920],
    subVersion: 1700000000123, expressionType: 'TAG', classFilterMode: false,
  });
  assert.equal(c?.subscriptionDataSet[1]?.topic, '%RETRY%GID_ons');
});

test('Java ordinals for enums and a producer-only heartbeat', () => {
  const hb = parseHeartbeatData('{"clientID":"c","consumerDataSet":[{"groupName":"g","consumeType":0,"messageModel":0,"consumeFromWhere":4,"subscriptionDataSet":[]}]}');
  assert.deepEqual(
    [hb.consumerDataSet[0]?.consumeType, hb.consumerDataSet[0]?.messageModel, hb.consumerDataSet[0]?.consumeFromWhere],
    ['CONSUME_ACTIVELY', 'BROADCASTING', 'CONSUME_FROM_FIRST_OFFSET'],
  );
  assert.deepEqual(parseHeartbeatData('{"clientID":"p@1","producerDataSet":[{"groupName":"PG"}]}').consumerDataSet, []);
});

test('bad heartbeats are rejected naming the field', () => {
  const cases: [string | Buffer | undefined, RegExp][] = [
    [undefined, /empty body/],
    [Buffer.alloc(0), /empty body/],
    ['not json', /bad JSON/],
    ['[]', /body is not an object/],
    ['{"producerDataSet":[]}', /clientID/],
    ['{"clientID":""}', /clientID is empty/],
    ['{"clientID":"c","consumerDataSet":{}}', /consumerDataSet is not an array/],
    ['{"clientID":"c","consumerDataSet":[{"groupName":"g","messageModel":"SOMETIMES"}]}', /messageModel has unknown value/],
    ['{"clientID":"c","consumerDataSet":[{"groupName":"g","subscriptionDataSet":[{"topic":""}]}]}', /subscriptionDataSet\[0\]\.topic is empty/],
    ['{"clientID":"c","consumerDataSet":[{"groupName":"g","subscriptionDataSet":[{"topic":"t","codeSet":["x"]}]}]}', /codeSet\[0\]/],
    ['{"clientID":"c","producerDataSet":[{"groupName":7}]}', /producerDataSet\[0\]\.groupName/],
  ];
  for (const [body, re] of cases) {
    assert.throws(() => parseHeartbeatData(body), (e: unknown) => e instanceof RocketMQError && re.test(e.message), String(body));
  }
});
