import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanDecision, isTimeToDelete } from '../../../src/store/clean/clean-policy.ts';
import { defaultMessageStoreConfig } from '../../../src/store/config/message-store-config.ts';

const at = (hour: number): number => new Date(2024, 0, 15, hour, 30).getTime();

test('deleteWhen matches the local hour, several hours separated by ;', () => {
  assert.equal(isTimeToDelete('04', at(4)), true);
  assert.equal(isTimeToDelete('04', at(5)), false);
  assert.equal(isTimeToDelete('04;16', at(16)), true);
});

test('disk usage thresholds 75 / 85 / 90', () => {
  const c = defaultMessageStoreConfig({ storePathRootDir: '/x' });
  assert.deepEqual(cleanDecision(c, 10, at(12)), { deleteExpired: false, cleanImmediately: false, diskFull: false });
  assert.deepEqual(cleanDecision(c, 10, at(4)), { deleteExpired: true, cleanImmediately: false, diskFull: false });
  assert.deepEqual(cleanDecision(c, 75, at(12)), { deleteExpired: true, cleanImmediately: false, diskFull: false });
  assert.deepEqual(cleanDecision(c, 85, at(12)), { deleteExpired: true, cleanImmediately: true, diskFull: false });
  assert.deepEqual(cleanDecision(c, 90, at(12)), { deleteExpired: true, cleanImmediately: true, diskFull: true });
});
