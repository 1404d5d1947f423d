// The pull path reads a run of adjacent records at once (MessageStore.getMessage → get-message.ts). Records served
// from bytes still in memory must be copies (write chunks are reused), and nothing past the confirmed offset is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutMessageStatus } from '../../src/store/commitlog/commit-log.ts';
import { GetMessageStatus } from '../../src/store/query/get-message-result.ts';
import { storeConfig, newStore, msg, bodies } from './message-store-helpers.ts';

test('a pull of adjacent records serves views of one read; records from the in-memory tail are copies', async (t) => {
  const config = storeConfig(t, { flushIntervalCommitLog: 60_000, flushCommitLogThoroughInterval: 60_000 });
  const store = newStore(config);
  await store.start();
  const sent: string[] = [];
  for (let i = 0; i < 20; i++) {
    const body = `p${i}-${'q'.repeat(100)}`;
    assert.equal((await store.putMessage(msg('TopicPull', 0, body))).status, PutMessageStatus.PUT_OK);
    sent.push(body);
  }
  store.dispatchNow();
  const r = store.getMessage('g', 'TopicPull', 0, 0, 32, 1 << 30);
  assert.equal(r.status, GetMessageStatus.FOUND);
  assert.deepEqual(bodies(r.messages), sent);
  assert.ok(r.messages.every((m) => m.buffer === r.messages[0].buffer), 'one read for the whole run');
  // scribbling over what a pull returned must not change the store
  for (const m of r.messages) m.fill(0);
  const again = store.getMessage('g', 'TopicPull', 0, 0, 32, 1 << 30);
  assert.deepEqual(bodies(again.messages), sent);
  await store.flushCommitLog();
  const fromFile = store.getMessage('g', 'TopicPull', 0, 5, 3, 1 << 30);
  assert.deepEqual(bodies(fromFile.messages), sent.slice(5, 8));
  await store.shutdown();
});
