import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RebalanceLockManager } from '../../../src/broker/rebalance/rebalance-lock-manager.ts';

const q = (queueId: number, topic = 'T') => ({ topic, brokerName: 'b', queueId });

test('lock manager: exclusive per (group, queue), renewal, expiry strictly after the lease, channel release', () => {
  let now = 1_000_000;
  const m = new RebalanceLockManager({ now: () => now, lockMaxLiveTimeMs: 60_000 });
  assert.deepEqual(m.tryLockBatch('G', [q(0), q(0), q(1)], 'A', 'ch-a'), [q(0), q(1)], 'duplicates asked once');
  assert.deepEqual(m.tryLockBatch('G', [q(1), q(2)], 'B', 'ch-b'), [q(2)]);
  assert.equal(m.isLocked('G', q(1), 'A'), true);
  assert.equal(m.isLocked('G', q(1), 'B'), false);
  now += 60_000;
  assert.deepEqual(m.tryLockBatch('G', [q(0)], 'B', 'ch-b'), [], 'exactly at the lease end it still holds');
  now += 1;
  assert.deepEqual(m.tryLockBatch('G', [q(0)], 'B', 'ch-b'), [q(0)], 'taken over after expiry');
  assert.equal(m.releaseChannel('ch-b'), 2);
  assert.equal(m.holderOf('G', q(0)), undefined);
  assert.equal(m.holderOf('G', q(1)), undefined, 'A expired meanwhile');
  assert.equal(m.isLockedByAny('G'), false);
  m.tryLockBatch('G', [q(5)], 'A', 'ch-1');
  m.tryLockBatch('G', [q(5)], 'A', 'ch-2'); // renewed on a new connection
  assert.equal(m.releaseChannel('ch-1'), 0, 'the old connection no longer owns it');
  assert.equal(m.holderOf('G', q(5)), 'A');
  m.unlockBatch('G', [q(5)], 'B');
  assert.equal(m.holderOf('G', q(5)), 'A');
  m.unlockBatch('G', [q(5)], 'A');
  assert.equal(m.isLockedByAny('G'), false);
});
