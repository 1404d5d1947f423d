// The invariant checker itself must be able to fail: a consume-queue unit pointing at the wrong record is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { checkStoreInvariants } from '../helpers/store-invariants.ts';
import { storeConfig, newStore, msg, SMALL } from './message-store-helpers.ts';

test('the checker counts what it checked and reports a unit pointing at the wrong record', async (t) => {
  const config = storeConfig(t, {}, { checkInvariants: false });
  const store = newStore(config);
  await store.start();
  for (let i = 0; i < 10; i++) await store.putMessage(msg('TopicInv', i % 2, `b${i}`, { KEYS: `k${i}`, UNIQ_KEY: `U${i}` }));
  await store.shutdown();
  const ok = await checkStoreInvariants({ ...SMALL, storePathRootDir: config.storePathRootDir });
  assert.deepEqual([ok.records, ok.queues, ok.units, ok.indexEntries], [10, 2, 10, 20]);
  // Unit 1 of queue 0 now points at unit 0's record (a valid record, but of queue offset 0).
  const fd = openSync(join(config.storePathRootDir, 'consumequeue', 'TopicInv', '0', '00000000000000000000'), 'r+');
  const unit0 = Buffer.alloc(8);
  readSync(fd, unit0, 0, 8, 0);
  writeSync(fd, unit0, 0, 8, 20);
  closeSync(fd);
  await assert.rejects(checkStoreInvariants({ ...SMALL, storePathRootDir: config.storePathRootDir }), /TopicInv\/0@1: record has queue offset 0/);
});
