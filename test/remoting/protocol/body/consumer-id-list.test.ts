import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsumerIdList, serializeConsumerIdList } from '../../../../src/remoting/protocol/body/consumer-id-list.ts';

test('GetConsumerListByGroupResponseBody: round trip; nothing usable → no ids', () => {
  const body = serializeConsumerIdList(['10.0.0.1@1', '10.0.0.2@2']);
  assert.equal(body.toString(), '{"consumerIdList":["10.0.0.1@1","10.0.0.2@2"]}');
  assert.deepEqual(parseConsumerIdList(body), ['10.0.0.1@1', '10.0.0.2@2']);
  assert.deepEqual(parseConsumerIdList(undefined), []);
  assert.deepEqual(parseConsumerIdList(Buffer.from('{"consumerIdList":["a",7,null,"b"]}')), ['a', 'b']);
  assert.deepEqual(parseConsumerIdList(Buffer.from('{}')), []);
});
