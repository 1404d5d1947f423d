import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteSubscriptionGroupRequestHeader, GetConsumeStatsRequestHeader, GetSubscriptionGroupConfigRequestHeader, ResetOffsetRequestHeader,
} from '../../../../src/remoting/protocol/headers/admin-headers.ts';

test('ResetOffsetRequestHeader: Java field names (isForce), 5.x queueId/offset optional', () => {
  const ext = ResetOffsetRequestHeader.encode({ topic: 'T', group: 'G', queueId: -1, offset: -1, timestamp: 1700000000000, isForce: true });
  assert.deepEqual(ext, { topic: 'T', group: 'G', queueId: '-1', offset: '-1', timestamp: '1700000000000', isForce: 'true' });
  assert.deepEqual(ResetOffsetRequestHeader.decode(ext), { topic: 'T', group: 'G', queueId: -1, offset: -1, timestamp: 1700000000000, isForce: true });
  // A 4.x admin sends neither queueId nor offset.
  assert.deepEqual(ResetOffsetRequestHeader.decode({ topic: 'T', group: 'G', timestamp: '5', isForce: 'false' }), { topic: 'T', group: 'G', timestamp: 5, isForce: false });
  assert.throws(() => ResetOffsetRequestHeader.decode({ topic: 'T', group: 'G', timestamp: '5' }), /missing required field 'isForce'/);
});

test('required fields of the group and stats headers', () => {
  assert.throws(() => DeleteSubscriptionGroupRequestHeader.decode({}), /groupName/);
  assert.deepEqual(DeleteSubscriptionGroupRequestHeader.decode({ groupName: 'G', cleanOffset: 'true' }), { groupName: 'G', cleanOffset: true });
  assert.throws(() => GetSubscriptionGroupConfigRequestHeader.decode({ groupName: 'G' }), /'group'/);
  assert.deepEqual(GetConsumeStatsRequestHeader.decode({ consumerGroup: 'G', topicList: 'A;B' }), { consumerGroup: 'G', topicList: 'A;B' });
});
