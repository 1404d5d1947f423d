import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexService } from '../../../src/store/index/index-service.ts';
import type { IndexRequest } from '../../../src/store/index/index-service.ts';
import { javaStringHashCode } from '../../../src/common/java-hash.ts';
import { FaultPoints, FaultPoint } from '../../../src/store/fault-points.ts';

const T0 = 1_700_000_000_000;
const ALL = [0, Number.MAX_SAFE_INTEGER] as const;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-index-service-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Opts {
  slots?: number;
  entries?: number;
  clock?: { now: number };
  faults?: FaultPoints;
}

function service(dir: string, o: Opts = {}): IndexService {
  const clock = o.clock ?? { now: T0 };
  return new IndexService({ dir, hashSlotNum: o.slots ?? 16, indexNum: o.entries ?? 100, now: () => clock.now, faults: o.faults });
}

function req(over: Partial<IndexRequest> & { commitLogOffset: number }): IndexRequest {
  return { topic: 'T', storeTimestamp: T0, sysFlag: 0, keys: '', uniqKey: undefined, ...over };
}

function query(s: IndexService, key: string, maxNum = 64, topic = 'T'): number[] {
  return s.queryOffset(topic, key, maxNum, ...ALL).phyOffsets;
}

/** After every test: reopen from disk and check the chains agree with what was written. */
function reopenAndCheck(dir: string, o: Opts, expect: Record<string, number[]>, lastExitOK = true, ts = 0): IndexService {
  const s = service(dir, o);
  s.load(lastExitOK, ts);
  for (const [key, offsets] of Object.entries(expect)) assert.deepEqual(query(s, key), offsets, `after reopen: ${key}`);
  return s;
}

test('indexes UNIQ_KEY and every KEYS token under topic#key; queries newest first', (t) => {
  const dir = tempDir(t);
  const s = service(dir);
  s.load(true);
  s.buildIndex(req({ commitLogOffset: 0, uniqKey: 'U0', keys: 'order-1  user-7' }));
  s.buildIndex(req({ commitLogOffset: 150, uniqKey: 'U1', keys: 'order-1', storeTimestamp: T0 + 1000 }));
  s.buildIndex(req({ commitLogOffset: 300, topic: 'Other', keys: 'order-1', storeTimestamp: T0 + 2000 }));
  assert.deepEqual(query(s, 'order-1'), [150, 0]);
  assert.deepEqual(query(s, 'user-7'), [0]);
  assert.deepEqual(query(s, 'U1'), [150]);
  assert.deepEqual(query(s, 'order-1', 64, 'Other'), [300]);
  assert.deepEqual(query(s, 'nope'), []);
  const r = s.queryOffset('T', 'order-1', 64, ...ALL);
  assert.equal(r.indexLastUpdateTimestamp, T0 + 2000);
  assert.equal(r.indexLastUpdatePhyOffset, 300);
  assert.equal(s.files[0].entryCount, 6);
  s.close();
  reopenAndCheck(dir, {}, { 'order-1': [150, 0], 'user-7': [0], U0: [0] }).close();
});

test('rollback records are not indexed; re-dispatched records are skipped', (t) => {
  const dir = tempDir(t);
  const s = service(dir);
  s.load(true);
  s.buildIndex(req({ commitLogOffset: 0, keys: 'k' }));
  s.buildIndex(req({ commitLogOffset: 100, keys: 'k', sysFlag: 0xc }));
  s.buildIndex(req({ commitLogOffset: 200, keys: 'k', sysFlag: 0x4 }));
  s.buildIndex(req({ commitLogOffset: 0, keys: 'k' }));
  s.buildIndex(req({ commitLogOffset: 200, keys: 'k' }));
  assert.deepEqual(query(s, 'k'), [200, 0]);
  s.close();
  const r = reopenAndCheck(dir, {}, { k: [200, 0] });
  r.buildIndex(req({ commitLogOffset: 200, keys: 'k' }));
  r.buildIndex(req({ commitLogOffset: 201, keys: 'k' }));
  assert.deepEqual(query(r, 'k'), [201, 200, 0]);
  r.close();
});

test('hash collisions: keys sharing a slot are told apart; equal String.hashCode is returned (caller re-checks keys)', (t) => {
  const dir = tempDir(t);
  const s = service(dir, { slots: 1 });
  s.load(true);
  assert.equal(javaStringHashCode('T#Aa'), javaStringHashCode('T#BB'));
  s.buildIndex(req({ commitLogOffset: 10, keys: 'alpha' }));
  s.buildIndex(req({ commitLogOffset: 20, keys: 'beta' }));
  s.buildIndex(req({ commitLogOffset: 30, keys: 'alpha' }));
  s.buildIndex(req({ commitLogOffset: 40, keys: 'Aa' }));
  s.buildIndex(req({ commitLogOffset: 50, keys: 'BB' }));
  assert.deepEqual(query(s, 'alpha'), [30, 10]);
  assert.deepEqual(query(s, 'beta'), [20]);
  assert.deepEqual(query(s, 'Aa'), [50, 40]);
  s.close();
  reopenAndCheck(dir, { slots: 1 }, { alpha: [30, 10], beta: [20] }).close();
});

test('time window and maxNum (capped by maxMsgsNumBatch)', (t) => {
  const dir = tempDir(t);
  const s = new IndexService({ dir, hashSlotNum: 16, indexNum: 200, maxMsgsNumBatch: 5, now: () => T0 });
  s.load(true);
  for (let i = 0; i < 20; i++) s.buildIndex(req({ commitLogOffset: i * 100, keys: 'k', storeTimestamp: T0 + i * 1000 }));
  assert.deepEqual(s.queryOffset('T', 'k', 3, ...ALL).phyOffsets, [1900, 1800, 1700]);
  assert.deepEqual(s.queryOffset('T', 'k', 100, ...ALL).phyOffsets, [1900, 1800, 1700, 1600, 1500]);
  assert.deepEqual(s.queryOffset('T', 'k', 100, T0 + 3000, T0 + 6000).phyOffsets, [600, 500, 400, 300]);
  assert.deepEqual(s.queryOffset('T', 'k', 100, T0 + 50_000, T0 + 60_000).phyOffsets, []);
  assert.deepEqual(s.queryOffset('T', 'k', 0, ...ALL).phyOffsets, []);
  s.close();
});

test('rollover: a new file when indexCount reaches indexNum; queries span files; names increase', (t) => {
  const dir = tempDir(t);
  const clock = { now: T0 };
  const s = service(dir, { slots: 4, entries: 4, clock });
  s.load(true);
  for (let i = 0; i < 10; i++) {
    s.buildIndex(req({ commitLogOffset: i * 100, keys: i % 2 === 0 ? 'even' : 'odd', storeTimestamp: T0 + i * 1000 }));
  }
  // 3 entries per file (entry 0 unused): 4 files, all created at the same clock value
  assert.equal(s.files.length, 4);
  const names = readdirSync(dir).sort();
  assert.equal(new Set(names).size, 4);
  assert.deepEqual(names, s.files.map((f) => f.fileName));
  assert.deepEqual(query(s, 'even'), [800, 600, 400, 200, 0]);
  assert.deepEqual(query(s, 'odd'), [900, 700, 500, 300, 100]);
  assert.deepEqual(s.queryOffset('T', 'even', 64, T0 + 3500, T0 + 6500).phyOffsets, [600, 400]);
  assert.equal(s.files[0].writable, false);
  assert.equal(s.files[3].writable, true);
  assert.equal(s.checkpointTimestamp, T0 + 8000, 'endTimestamp of the newest full file');
  s.close();
  const r = reopenAndCheck(dir, { slots: 4, entries: 4, clock }, { even: [800, 600, 400, 200, 0], odd: [900, 700, 500, 300, 100] });
  r.buildIndex(req({ commitLogOffset: 1000, keys: 'even', storeTimestamp: T0 + 10_000 }));
  r.buildIndex(req({ commitLogOffset: 1100, keys: 'even', storeTimestamp: T0 + 11_000 }));
  assert.equal(r.files.length, 4);
  assert.equal(r.files[3].isWriteFull(), true);
  assert.deepEqual(query(r, 'even'), [1100, 1000, 800, 600, 400, 200, 0]);
  r.close();
});

test('unflushed entries are lost on a crash; flushed ones survive', (t) => {
  const dir = tempDir(t);
  const faults = new FaultPoints();
  const s = service(dir, { faults });
  s.load(true);
  s.buildIndex(req({ commitLogOffset: 0, keys: 'k' }));
  s.flush();
  s.buildIndex(req({ commitLogOffset: 100, keys: 'k' }));
  assert.deepEqual(query(s, 'k'), [100, 0]);
  faults.enable(FaultPoint.CRASH_BEFORE_FLUSH);
  assert.equal(faults.fire(FaultPoint.CRASH_BEFORE_FLUSH), true);
  s.flush();
  s.close();
  reopenAndCheck(dir, {}, { k: [0] }).close();
});

test('abnormal recovery deletes files newer than the checkpoint; the survivor takes new keys', (t) => {
  const dir = tempDir(t);
  const s = service(dir, { slots: 4, entries: 3 });
  s.load(true);
  for (let i = 0; i < 6; i++) s.buildIndex(req({ commitLogOffset: i * 100, keys: 'k', storeTimestamp: T0 + i * 1000 }));
  assert.equal(s.files.length, 3);
  const cp = s.flush();
  assert.equal(cp, T0 + 3000);
  s.close();
  // normal restart keeps everything
  reopenAndCheck(dir, { slots: 4, entries: 3 }, { k: [500, 400, 300, 200, 100, 0] }).close();
  // abnormal restart drops the files whose endTimestamp > checkpoint (the last one here)
  const r = reopenAndCheck(dir, { slots: 4, entries: 3 }, { k: [300, 200, 100, 0] }, false, cp);
  assert.equal(r.files.length, 2);
  // re-dispatch from the checkpoint rebuilds the rest; already indexed records are skipped
  for (let i = 3; i < 6; i++) r.buildIndex(req({ commitLogOffset: i * 100, keys: 'k', storeTimestamp: T0 + i * 1000 }));
  assert.deepEqual(query(r, 'k'), [500, 400, 300, 200, 100, 0]);
  assert.equal(r.deleteFilesAfter(T0 + 1000), 2);
  assert.deepEqual(query(r, 'k'), [100, 0]);
  r.buildIndex(req({ commitLogOffset: 700, keys: 'k', storeTimestamp: T0 + 7000 }));
  assert.deepEqual(query(r, 'k'), [700, 100, 0]);
  r.close();
  reopenAndCheck(dir, { slots: 4, entries: 3 }, { k: [700, 100, 0] }).close();
});

test('retention deletes files whose endPhyOffset is below the commit log minimum, never the newest', (t) => {
  const dir = tempDir(t);
  const s = service(dir, { slots: 4, entries: 3 });
  s.load(true);
  for (let i = 0; i < 7; i++) s.buildIndex(req({ commitLogOffset: i * 100, keys: 'k', storeTimestamp: T0 + i * 1000 }));
  assert.equal(s.files.length, 4);
  assert.equal(s.deleteExpiredFiles(100), 0, 'first file ends at 100');
  assert.equal(s.deleteExpiredFiles(101), 1);
  assert.deepEqual(query(s, 'k'), [600, 500, 400, 300, 200]);
  assert.equal(s.deleteExpiredFiles(10_000), 2);
  assert.equal(s.files.length, 1);
  assert.deepEqual(query(s, 'k'), [600]);
  s.close();
  assert.equal(readdirSync(dir).length, 1);
  reopenAndCheck(dir, { slots: 4, entries: 3 }, { k: [600] }).close();
});

test('load removes a zero-length file left by an interrupted creation', (t) => {
  const dir = tempDir(t);
  const s = service(dir);
  s.load(true);
  s.buildIndex(req({ commitLogOffset: 5, keys: 'k' }));
  s.close();
  writeFileSync(join(dir, '29991231235959999'), '');
  const r = reopenAndCheck(dir, {}, { k: [5] });
  assert.equal(r.files.length, 1);
  r.close();
  assert.equal(readdirSync(dir).length, 1);
});
