// BrokerStats with an injected clock: totals, today/yesterday-morning snapshots across local midnights, sliding rates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerStats, SlidingRate, brokerStatsOf } from '../../../src/broker/stats/broker-stats.ts';

/** Local-time epoch ms for a day of 2024-03 at hh:mm:ss. */
function at(day: number, h: number, m = 0, s = 0): number {
  return new Date(2024, 2, day, h, m, s).getTime();
}

test('SlidingRate averages the events of the last N seconds and forgets older buckets', () => {
  const r = new SlidingRate(61);
  const t0 = at(1, 12);
  r.add(t0, 10);
  r.add(t0 + 500, 10);
  r.add(t0 + 9_000, 30);
  assert.equal(r.tps(t0 + 9_000, 10), 5); // 50 events / 10 s
  assert.equal(r.tps(t0 + 9_000, 1), 30);
  assert.equal(r.tps(t0 + 15_000, 10), 3); // the first second left the window
  // A bucket reused after wrap-around starts from zero.
  r.add(t0 + 61_000, 7);
  assert.equal(r.tps(t0 + 61_000, 1), 7);
  assert.equal(r.tps(t0 + 200_000, 60), 0);
});

test('put/get totals and the morning snapshots roll at local midnight', () => {
  let now = at(1, 10);
  const s = new BrokerStats(() => now);
  s.recordPut('T', 5);
  s.recordGet('G', 'T', 2);
  s.recordGet('G', 'T', 0); // a miss: no message counted
  let snap = s.snapshot();
  assert.deepEqual(
    [snap.msgPutTotalYesterdayMorning, snap.msgPutTotalTodayMorning, snap.msgPutTotalTodayNow],
    [0, 0, 5],
  );
  assert.equal(snap.msgGetTotalTodayNow, 2);
  assert.equal(snap.getFoundTotal, 1);
  assert.equal(snap.getMissTotal, 1);

  now = at(2, 0, 0, 5); // just after midnight
  s.recordPut('T', 3);
  snap = s.snapshot();
  assert.deepEqual(
    [snap.msgPutTotalYesterdayMorning, snap.msgPutTotalTodayMorning, snap.msgPutTotalTodayNow],
    [0, 5, 8],
  );
  assert.deepEqual([snap.msgGetTotalYesterdayMorning, snap.msgGetTotalTodayMorning, snap.msgGetTotalTodayNow], [0, 2, 2]);

  now = at(3, 9);
  snap = s.snapshot();
  assert.deepEqual([snap.msgPutTotalYesterdayMorning, snap.msgPutTotalTodayMorning], [5, 8]);

  now = at(6, 9); // several idle days: both snapshots are the current total
  snap = s.snapshot();
  assert.deepEqual([snap.msgPutTotalYesterdayMorning, snap.msgPutTotalTodayMorning, snap.msgPutTotalTodayNow], [8, 8, 8]);
});

test('tps figures: broker-wide windows, per topic and per topic@group; failed puts are not counted', () => {
  let now = at(1, 12);
  const s = new BrokerStats(() => now);
  s.recordPutResult('A', 60, 'PUT_OK');
  s.recordPutResult('A', 1000, 'DISK_FULL');
  s.recordPutResult('B', 6, 'FLUSH_DISK_TIMEOUT');
  s.recordGet('G1', 'A', 30);
  s.recordGet('G2', 'A', 12);
  assert.equal(s.putTps(10), 6.6);
  assert.equal(s.topicPutTps('A'), 1);
  assert.equal(s.topicPutTps('B'), 0.1);
  assert.equal(s.topicPutTps('nope'), 0);
  assert.equal(s.getTransferredTps(10), 4.2);
  assert.equal(s.groupGetTps('G1', 'A'), 0.5);
  assert.equal(s.getFoundTps(10), 0.2);
  now += 61_000;
  assert.equal(s.topicPutTps('A'), 0);
  assert.equal(s.putTps(600), 66 / 600);
  s.forgetGroup('G1');
  s.forgetTopic('B');
  assert.equal(s.groupGetTps('G1', 'A'), 0);
});

test('brokerStatsOf gives one instance per owner, on the owner clock', () => {
  const a = { now: () => at(1, 1) };
  const b = { now: () => at(1, 1) };
  assert.equal(brokerStatsOf(a), brokerStatsOf(a));
  assert.notEqual(brokerStatsOf(a), brokerStatsOf(b));
  brokerStatsOf(a).recordPut('T', 1);
  assert.equal(brokerStatsOf(a).snapshot().msgPutTotalTodayNow, 1);
  assert.equal(brokerStatsOf(b).snapshot().msgPutTotalTodayNow, 0);
});
