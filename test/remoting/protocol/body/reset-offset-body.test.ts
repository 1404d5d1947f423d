import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResetOffsetBody, serializeResetOffsetBody } from '../../../../src/remoting/protocol/body/reset-offset-body.ts';

test('ResetOffsetBody: object-as-key map of offsets, both directions', () => {
  const java = '{"offsetTable":{{"brokerName":"broker-a","queueId":2,"topic":"T"}:77,{"brokerName":"broker-a","queueId":0,"topic":"T"}:5}}';
  const b = parseResetOffsetBody(Buffer.from(java));
  assert.deepEqual(b.offsetTable, [
    [{ topic: 'T', brokerName: 'broker-a', queueId: 0 }, 5],
    [{ topic: 'T', brokerName: 'broker-a', queueId: 2 }, 77],
  ]);
  assert.equal(
    serializeResetOffsetBody(b).toString(),
    '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:5,{"brokerName":"broker-a","queueId":2,"topic":"T"}:77}}',
  );
  assert.deepEqual(parseResetOffsetBody('{}').offsetTable, []);
  assert.throws(() => parseResetOffsetBody('{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:"x"}}'), /must be a number/);
});
