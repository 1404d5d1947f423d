import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consumeStatsTotalDiff, parseConsumeStats, serializeConsumeStats } from '../../../../src/remoting/protocol/body/consume-stats.ts';

test('ConsumeStats: parses the Java fastjson body, totals the lag, round-trips', () => {
  const java =
    '{"consumeTps":2.25,"offsetTable":{{"brokerName":"b","queueId":0,"topic":"%RETRY%G"}:{"brokerOffset":1,"consumerOffset":1,"lastTimestamp":0,"pullOffset":1},' +
    '{"brokerName":"b","queueId":3,"topic":"T"}:{"brokerOffset":10,"consumerOffset":4,"lastTimestamp":1700000000000,"pullOffset":6}}}';
  const s = parseConsumeStats(java);
  assert.equal(s.consumeTps, 2.25);
  assert.equal(s.offsetTable.length, 2);
  assert.deepEqual(s.offsetTable[1], [{ topic: 'T', brokerName: 'b', queueId: 3 }, { brokerOffset: 10, consumerOffset: 4, pullOffset: 6, lastTimestamp: 1700000000000 }]);
  assert.equal(consumeStatsTotalDiff(s), 6);
  assert.equal(serializeConsumeStats(s).toString(), java);
  assert.deepEqual(parseConsumeStats(serializeConsumeStats(s)), s);
});
