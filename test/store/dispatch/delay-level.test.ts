import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDelayLevels, deliverTimestamp } from '../../../src/store/dispatch/delay-level.ts';
import { defaultMessageStoreConfig } from '../../../src/store/config/message-store-config.ts';

test('default delay levels parse to the §8.1 table', () => {
  const levels = parseDelayLevels(defaultMessageStoreConfig({ storePathRootDir: '/x' }).messageDelayLevel);
  assert.equal(levels.length, 18);
  assert.equal(levels[0], 1000);
  assert.equal(levels[3], 30_000);
  assert.equal(levels[4], 60_000);
  assert.equal(levels[16], 3_600_000);
  assert.equal(levels[17], 7_200_000);
  assert.equal(deliverTimestamp(levels, 3, 1000), 11_000);
  assert.equal(deliverTimestamp(levels, 99, 0), 7_200_000);
  assert.deepEqual(parseDelayLevels('2d 1s'), [172_800_000, 1000]);
  assert.throws(() => parseDelayLevels('1s 5x'), /5x/);
});
