import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ReputService } from '../../../src/store/dispatch/reput-service.ts';
import { ConsumeQueueTable } from '../../../src/store/consumequeue/consume-queue-table.ts';
import { RocketMQError, ERROR_CODES } from '../../../src/common/errors.ts';
import { tmpStore, openLog, msg, body } from '../commitlog/commit-log-helpers.ts';

test('a failing dispatch is logged, keeps its position and is retried later; nothing is lost or doubled', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const config = tmpStore(t, { mappedFileSizeCommitLog: 64 * 1024 });
  const log = await openLog(config);
  const queues = new ConsumeQueueTable({ root: join(config.storePathRootDir, 'consumequeue'), fileSize: 100 * 20 });
  t.after(async () => {
    queues.closeAll();
    await log.shutdown();
  });
  let failAt = 5;
  let seen = 0;
  const reput = new ReputService({
    commitLog: log,
    queues,
    limit: () => log.getMaxOffset(),
    delayLevels: [],
    dispatchers: [
      () => {
        if (seen++ === failAt) throw new RocketMQError(ERROR_CODES.STORE, 'EMFILE: too many open files (simulated)');
      },
    ],
  });
  const offsets: number[] = [];
  for (let i = 0; i < 10; i++) offsets.push((await log.appendMessage(msg('TopicReput', 0, body(i)))).wroteOffset);

  reput.start();
  t.after(() => reput.stop());
  await nextTurn();
  await nextTurn();
  assert.equal(reput.failureCount, 1);
  assert.equal(reput.reputFromOffset, offsets[5], 'the position stays at the record that failed');
  assert.equal(reput.dispatchedCount, 5);
  const cq = queues.find('TopicReput', 0);
  assert.equal(cq?.maxOffset, 6, 'its consume-queue unit was written before the index dispatcher failed');

  failAt = -1;
  mock.timers.tick(199);
  await nextTurn();
  assert.equal(reput.reputFromOffset, offsets[5], 'no retry before the delay');
  mock.timers.tick(1);
  await nextTurn();
  await nextTurn();
  assert.equal(reput.reputFromOffset, log.getMaxOffset());
  assert.equal(reput.dispatchedCount, 10);
  assert.equal(cq?.maxOffset, 10, 'the re-dispatched record was not queued twice');
  for (let i = 0; i < 10; i++) assert.equal(cq?.getUnit(i)?.commitLogOffset, offsets[i]);
});

test('dispatchAvailable never throws, even when the queue folder cannot be opened', async (t) => {
  const config = tmpStore(t);
  const log = await openLog(config);
  // consumequeue/ is a file: every queue open fails
  const root = join(config.storePathRootDir, 'cq-is-a-file');
  (await import('node:fs')).writeFileSync(root, 'x');
  const queues = new ConsumeQueueTable({ root, fileSize: 100 * 20 });
  t.after(async () => {
    queues.closeAll();
    await log.shutdown();
  });
  const reput = new ReputService({ commitLog: log, queues, limit: () => log.getMaxOffset(), delayLevels: [] });
  await log.appendMessage(msg('TopicReputFail', 0, body(1)));
  assert.equal(reput.dispatchAvailable(), 0);
  assert.equal(reput.failureCount, 1);
  assert.equal(reput.reputFromOffset, 0);
  assert.equal(queues.find('TopicReputFail', 0), undefined, 'no half-opened queue is left in the table');
});
