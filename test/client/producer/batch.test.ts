import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchEntrySize, prepareBatch, splitBatch } from '../../../src/client/producer/batch.ts';
import type { Message } from '../../../src/client/message.ts';
import { decodeBatchBody } from '../../../src/common/message/message-batch.ts';
import { RocketMQError } from '../../../src/common/errors.ts';

const msg = (n: number, size: number): Message => ({ topic: 'BatchT', body: Buffer.alloc(size, n), keys: `k${n}` });

test('batchEntrySize is an upper bound of the encoded entry', () => {
  const ms = [msg(1, 100), msg(2, 5000)];
  const b = prepareBatch(ms);
  assert.ok(b.body.length <= batchEntrySize(ms[0]) + batchEntrySize(ms[1]));
  assert.ok(b.body.length > batchEntrySize(ms[0]) + batchEntrySize(ms[1]) - 2 * 40);
  assert.equal(decodeBatchBody(b.body).length, 2);
});

test('splitBatch keeps order, fills batches up to the limit, and every batch encodes within it', () => {
  const ms = Array.from({ length: 50 }, (_, i) => msg(i, 100 + i * 37));
  const limit = 4000;
  const parts = splitBatch(ms, limit);
  assert.deepEqual(parts.flat(), ms);
  for (const p of parts) assert.ok(prepareBatch(p, limit).body.length <= limit);
  for (let i = 0; i + 1 < parts.length; i++) {
    const used = parts[i].reduce((s, m) => s + batchEntrySize(m), 0);
    assert.ok(used + batchEntrySize(parts[i + 1][0]) > limit, 'a batch was closed early');
  }
});

test('default limit is 4 MiB; one oversized message is an error', () => {
  const parts = splitBatch([msg(1, 3 * 1024 * 1024), msg(2, 2 * 1024 * 1024)]);
  assert.equal(parts.length, 2);
  assert.throws(() => splitBatch([msg(1, 5000)], 4000), RocketMQError);
  assert.throws(() => prepareBatch([msg(1, 5000)], 4000), RocketMQError);
  assert.deepEqual(splitBatch([]), []);
});
