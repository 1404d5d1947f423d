import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectByHash, selectRandom } from '../../../src/client/producer/queue-selectors.ts';
import type { MessageQueue } from '../../../src/client/message.ts';

const queues: MessageQueue[] = Array.from({ length: 8 }, (_, i) => ({ topic: 'T', brokerName: i < 4 ? 'a' : 'b', queueId: i % 4 }));
const m = { topic: 'T', body: 'x' };

test('selectByHash: Java |String.hashCode| mod n, integers used as their own hash', () => {
  // "order-1".hashCode() = -1207111310 in Java → 1207111310 % 8 = 6
  assert.equal(selectByHash(queues, m, 'order-1'), queues[6]);
  assert.equal(selectByHash(queues, m, 13), queues[5]);
  assert.equal(selectByHash(queues, m, -13), queues[5]);
  assert.equal(selectByHash(queues, m, 'order-1'), selectByHash(queues, m, 'order-1'));
});

test('selectRandom returns one of the queues and eventually several', () => {
  const seen = new Set<MessageQueue>();
  for (let i = 0; i < 200; i++) {
    const q = selectRandom(queues, m, undefined);
    assert.ok(queues.includes(q));
    seen.add(q);
  }
  assert.ok(seen.size > 1);
});
