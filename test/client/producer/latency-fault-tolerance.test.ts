import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyFaultTolerance } from '../../../src/client/producer/latency-fault-tolerance.ts';

test('durations follow Java thresholds', () => {
  const f = new LatencyFaultTolerance();
  assert.equal(f.notAvailableDurationFor(10), 0);
  assert.equal(f.notAvailableDurationFor(549), 0);
  assert.equal(f.notAvailableDurationFor(550), 30_000);
  assert.equal(f.notAvailableDurationFor(1_000), 60_000);
  assert.equal(f.notAvailableDurationFor(3_000), 180_000);
  assert.equal(f.notAvailableDurationFor(20_000), 600_000);
});

test('a slow or failed broker is avoided until its time is up', () => {
  let now = 1_000_000;
  const f = new LatencyFaultTolerance({ now: () => now });
  f.update('fast', 20, false);
  f.update('slow', 600, false);
  f.update('down', 0, true);
  assert.equal(f.isAvailable('fast'), true);
  assert.equal(f.isAvailable('slow'), false);
  assert.equal(f.isAvailable('down'), false);
  assert.equal(f.isAvailable('unknown'), true);
  assert.equal(f.leastBad(['down', 'slow']), 'slow');
  now += 30_000;
  assert.equal(f.isAvailable('slow'), true);
  assert.equal(f.isAvailable('down'), false);
  now += 150_000;
  assert.equal(f.isAvailable('down'), true);
  f.update('slow', 600, false);
  f.remove('slow');
  assert.equal(f.isAvailable('slow'), true);
});
