import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import { GetMessageStatus } from '../../src/store/query/get-message-result.ts';
import { storeConfig, newStore, msg, bodies } from './message-store-helpers.ts';

const HOUR = 3_600_000;
const BIG = 1 << 30;

/** deleteWhen naming the local hour of `t`. */
function hourOf(t: number): string {
  return String(new Date(t).getHours()).padStart(2, '0');
}

test('expired files go at deleteWhen or at ≥ 75 % disk, young files only at ≥ 85 %, appends stop at ≥ 90 %', async (t) => {
  // File ages come from the real clock (segment mtimes); the store's clock starts at real time and jumps ahead.
  const start = Date.now();
  const later = start + 73 * HOUR;
  const config = storeConfig(t, { mappedFileSizeCommitLog: 4096, deleteWhen: hourOf(later), fileReservedTime: 72 });
  let now = start;
  let usage = 10;
  const store = newStore(config, { now: () => now, diskUsage: () => usage });
  await store.start();
  for (let i = 0; i < 60; i++) {
    assert.equal((await store.putMessage(msg('TopicRet', 0, `${i}-${'z'.repeat(300)}`, { KEYS: `k${i}` }))).status, PutMessageStatus.PUT_OK);
  }
  await store.flushCommitLog();
  store.dispatchNow();
  await store.flushDerived();
  const files = (): number => readdirSync(config.storePathCommitLog).length;
  const cqFiles = (): number => readdirSync(join(config.storePathRootDir, 'consumequeue', 'TopicRet', '0')).length;
  const total = files();
  assert.ok(total >= 5, `${total} commit-log files`);
  assert.ok(cqFiles() >= 2);

  // Young files, low usage, not deleteWhen: nothing happens.
  let r = await store.runCleanOnce();
  assert.deepEqual([r.deleteExpired, r.commitLogFilesDeleted], [false, 0]);
  // 80 % but files are young (written "now" by the real clock, and our clock says the same day): nothing either.
  usage = 80;
  r = await store.runCleanOnce();
  assert.deepEqual([r.deleteExpired, r.cleanImmediately, r.commitLogFilesDeleted], [true, false, 0]);

  // 73 hours later, at the deleteWhen hour, with low usage: expired files are deleted, never the last one.
  usage = 10;
  now = later;
  r = await store.runCleanOnce();
  assert.equal(r.deleteExpired, true);
  assert.ok(r.commitLogFilesDeleted > 0 && r.commitLogFilesDeleted <= 10);
  assert.ok(files() >= 1 && files() < total);
  assert.ok(r.consumeQueueFilesDeleted >= 1, 'consume-queue files below the new commit-log min go too');
  assert.ok(cqFiles() < 4);
  // Reading from 0 now says OFFSET_TOO_SMALL and points at the first live message.
  const min = store.getMinOffsetInQueue('TopicRet', 0);
  assert.ok(min > 0);
  const tooSmall = store.getMessage('g', 'TopicRet', 0, 0, 32, BIG);
  assert.deepEqual([tooSmall.status, tooSmall.nextBeginOffset], [GetMessageStatus.OFFSET_TOO_SMALL, min]);
  const first = store.getMessage('g', 'TopicRet', 0, min, 1, BIG);
  assert.equal(first.status, GetMessageStatus.FOUND);
  assert.ok(bodies(first.messages)[0].startsWith(`${min}-`));
  await store.shutdown();
});

test('forced clean at ≥ 85 % deletes young files; DISK_FULL at ≥ 90 % until usage drops', async (t) => {
  const config = storeConfig(t, { mappedFileSizeCommitLog: 4096 });
  let usage = 10;
  const store = newStore(config, { diskUsage: () => usage });
  await store.start();
  for (let i = 0; i < 40; i++) await store.putMessage(msg('TopicFull', 0, `${i}-${'q'.repeat(300)}`));
  await store.flushCommitLog();
  store.dispatchNow();
  await store.flushDerived();
  const before = readdirSync(config.storePathCommitLog).length;
  usage = 86;
  let r = await store.runCleanOnce();
  assert.deepEqual([r.cleanImmediately, r.diskFull], [true, false]);
  assert.ok(r.commitLogFilesDeleted > 0, 'young files are deleted when forced');
  assert.ok(readdirSync(config.storePathCommitLog).length < before);
  assert.equal((await store.putMessage(msg('TopicFull', 0, 'still ok'))).status, PutMessageStatus.PUT_OK);

  usage = 91;
  r = await store.runCleanOnce();
  assert.equal(r.diskFull, true);
  assert.equal(store.isDiskFull, true);
  const refused = await store.putMessage(msg('TopicFull', 0, 'refused'));
  assert.equal(refused.status, PutMessageStatus.DISK_FULL);
  assert.equal((await store.putMessages([msg('TopicFull', 0, 'refused too')])).status, PutMessageStatus.DISK_FULL);
  // Reads still work while the disk is full.
  assert.equal(store.getMessage('g', 'TopicFull', 0, store.getMinOffsetInQueue('TopicFull', 0), 1, BIG).status, GetMessageStatus.FOUND);

  usage = 50;
  await store.runCleanOnce();
  assert.equal(store.isDiskFull, false);
  assert.equal((await store.putMessage(msg('TopicFull', 0, 'accepted again'))).status, PutMessageStatus.PUT_OK);
  await store.shutdown();
});

test('a store started on a full disk refuses appends from the first one', async (t) => {
  const config = storeConfig(t);
  const store = newStore(config, { diskUsage: () => 95 });
  await store.start();
  assert.equal((await store.putMessage(msg('TopicFull2', 0, 'x'))).status, PutMessageStatus.DISK_FULL);
  await store.shutdown();
});
