import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter } from '../../src/namesrv/namesrv-stats.ts';

test('RateMeter averages whole seconds over its window and forgets old ones', () => {
  let now = 1_000_000;
  const m = new RateMeter(() => now, 10);
  for (let s = 0; s < 10; s++) {
    m.mark(s % 2 === 0 ? 30 : 10); // 200 events over 10 s
    now += 1000;
  }
  assert.equal(m.total, 200);
  assert.equal(m.ratePerSecond(), 20);
  m.mark(1000); // current second: not counted yet
  assert.equal(m.ratePerSecond(), 20);
  now += 1000;
  assert.equal(m.ratePerSecond(), (200 - 30 + 1000) / 10);
  now += 60_000;
  assert.equal(m.ratePerSecond(), 0);
  assert.equal(m.total, 1200);
});
