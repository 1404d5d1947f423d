import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseConsumerConnection, parseProducerConnection, serializeConsumerConnection, serializeProducerConnection,
} from '../../../../src/remoting/protocol/body/connection.ts';

test('ConsumerConnection: Java body with enums by name and a subscription table', () => {
  const java =
    '{"connectionSet":[{"clientAddr":"10.0.0.9:51234","clientId":"10.0.0.9@123","language":"JAVA","version":479}],' +
    '"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",' +
    '"subscriptionTable":{"T":{"classFilterMode":false,"codeSet":[2598969],"expressionType":"TAG","subString":"TagA","subVersion":1700000000000,"tagsSet":["TagA"],"topic":"T"}}}';
  const c = parseConsumerConnection(java);
  assert.deepEqual(c.connectionSet, [{ clientId: '10.0.0.9@123', clientAddr: '10.0.0.9:51234', language: 'JAVA', version: 479 }]);
  assert.equal(c.consumeType, 'CONSUME_PASSIVELY');
  assert.equal(c.messageModel, 'CLUSTERING');
  assert.equal(c.consumeFromWhere, 'CONSUME_FROM_LAST_OFFSET');
  assert.deepEqual(c.subscriptionTable.T.codeSet, [2598969]);
  assert.equal(c.subscriptionTable.T.subString, 'TagA');
  assert.equal(serializeConsumerConnection(c).toString(), java);
  // A group nobody consumes in: enums absent.
  const empty = parseConsumerConnection('{"connectionSet":[],"subscriptionTable":{}}');
  assert.equal(empty.consumeType, undefined);
  assert.equal(serializeConsumerConnection(empty).toString(), '{"connectionSet":[],"subscriptionTable":{}}');
});

test('ProducerConnection: connectionSet only', () => {
  const java = '{"connectionSet":[{"clientAddr":"127.0.0.1:5000","clientId":"127.0.0.1@p","language":"NODE_JS","version":0}]}';
  const p = parseProducerConnection(java);
  assert.equal(p.connectionSet[0].language, 'NODE_JS');
  assert.equal(serializeProducerConnection(p).toString(), java);
});
