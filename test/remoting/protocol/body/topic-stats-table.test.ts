import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTopicStatsTable, serializeTopicStatsTable } from '../../../../src/remoting/protocol/body/topic-stats-table.ts';

test('TopicStatsTable: parses the Java fastjson body and round-trips', () => {
  const java =
    '{"offsetTable":{{"brokerName":"broker-a","queueId":1,"topic":"T1"}:{"lastUpdateTimestamp":1700000000123,"maxOffset":42,"minOffset":3},' +
    '{"brokerName":"broker-a","queueId":0,"topic":"T1"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0}},"topicPutTps":1.5}';
  const t = parseTopicStatsTable(Buffer.from(java));
  assert.equal(t.topicPutTps, 1.5);
  assert.deepEqual(t.offsetTable, [
    [{ topic: 'T1', brokerName: 'broker-a', queueId: 0 }, { minOffset: 0, maxOffset: 0, lastUpdateTimestamp: 0 }],
    [{ topic: 'T1', brokerName: 'broker-a', queueId: 1 }, { minOffset: 3, maxOffset: 42, lastUpdateTimestamp: 1700000000123 }],
  ]);
  const out = serializeTopicStatsTable(t).toString();
  assert.equal(
    out,
    '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T1"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0},' +
      '{"brokerName":"broker-a","queueId":1,"topic":"T1"}:{"lastUpdateTimestamp":1700000000123,"maxOffset":42,"minOffset":3}},"topicPutTps":1.5}',
  );
  assert.deepEqual(parseTopicStatsTable(out), t);
  // 4.x bodies have no topicPutTps.
  assert.equal(parseTopicStatsTable('{"offsetTable":{}}').topicPutTps, 0);
  assert.throws(() => parseTopicStatsTable(undefined), /TopicStatsTable: empty body/);
});
