import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeLockBatchRequestBody,
  decodeLockBatchResponseBody,
  encodeLockBatchResponseBody,
} from '../../../../src/remoting/protocol/body/lock-batch-body.ts';

const q = (queueId: number, topic = 'T') => ({ topic, brokerName: 'b', queueId });

test('lock bodies: Java field names, lenient numbers, response round trip', () => {
  const req = decodeLockBatchRequestBody(
    Buffer.from('{"clientId":"c","consumerGroup":"G","mqSet":[{"brokerName":"b","queueId":"3","topic":"T"}],"onlyThisBroker":true}'),
  );
  assert.deepEqual(req, { clientId: 'c', consumerGroup: 'G', mqSet: [q(3)], onlyThisBroker: true });
  const body = encodeLockBatchResponseBody([q(1), q(2)]);
  assert.equal(body.toString(), '{"lockOKMQSet":[{"brokerName":"b","queueId":1,"topic":"T"},{"brokerName":"b","queueId":2,"topic":"T"}]}');
  assert.deepEqual(decodeLockBatchResponseBody(body), [q(1), q(2)]);
  assert.throws(() => decodeLockBatchRequestBody(Buffer.from('{"clientId":"c"}')), /consumerGroup/);
});
