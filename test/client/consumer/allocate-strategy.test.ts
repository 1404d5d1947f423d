import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allocateAveragely,
  allocateAveragelyByCircle,
  allocateByConfig,
  allocateByMachineRoom,
  allocateConsistentHash,
  md5RingHash,
  messageQueueToJavaString,
  sortConsumerIds,
  sortMessageQueues,
} from '../../../src/client/consumer/allocate-strategy.ts';
import type { AllocateStrategy } from '../../../src/client/consumer/allocate-strategy.ts';
import type { MessageQueue } from '../../../src/client/message.ts';

function queues(topic: string, brokers: Array<[string, number]>): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const [brokerName, n] of brokers) for (let q = 0; q < n; q++) out.push({ topic, brokerName, queueId: q });
  return sortMessageQueues(out);
}

/** Every consumer's share as "broker:queue" strings. */
function shares(s: AllocateStrategy, mqs: MessageQueue[], cids: string[]): string[][] {
  return cids.map((c) => s.allocate('G', c, mqs, cids).map((q) => `${q.brokerName}:${q.queueId}`));
}

function idx(mqs: MessageQueue[], list: number[]): string[] {
  return list.map((i) => `${mqs[i].brokerName}:${mqs[i].queueId}`);
}

test('sorting matches Java compareTo (topic, broker, queueId) and String order', () => {
  const mqs = sortMessageQueues([
    { topic: 'b', brokerName: 'x', queueId: 0 },
    { topic: 'a', brokerName: 'y', queueId: 1 },
    { topic: 'a', brokerName: 'y', queueId: 0 },
    { topic: 'a', brokerName: 'X', queueId: 9 },
  ]);
  assert.deepEqual(mqs.map((q) => `${q.topic}/${q.brokerName}/${q.queueId}`), ['a/X/9', 'a/y/0', 'a/y/1', 'b/x/0']);
  assert.deepEqual(sortConsumerIds(['b', 'B', 'a@2', 'a@10']), ['B', 'a@10', 'a@2', 'b']);
});

test('Averagely: contiguous blocks, first mq%cid consumers get one more', () => {
  const mqs = queues('T', [['broker-a', 10]]);
  assert.deepEqual(shares(allocateAveragely, mqs, ['c0', 'c1', 'c2']), [idx(mqs, [0, 1, 2, 3]), idx(mqs, [4, 5, 6]), idx(mqs, [7, 8, 9])]);
  const m8 = queues('T', [['a', 4], ['b', 4]]);
  assert.deepEqual(shares(allocateAveragely, m8, ['c0', 'c1', 'c2']), [idx(m8, [0, 1, 2]), idx(m8, [3, 4, 5]), idx(m8, [6, 7])]);
  const m3 = queues('T', [['a', 3]]);
  assert.deepEqual(shares(allocateAveragely, m3, ['c0', 'c1', 'c2', 'c3', 'c4']), [idx(m3, [0]), idx(m3, [1]), idx(m3, [2]), [], []]);
  assert.deepEqual(shares(allocateAveragely, m3, ['only']), [idx(m3, [0, 1, 2])]);
  assert.deepEqual(allocateAveragely.allocate('G', 'stranger', m3, ['c0']), []);
  assert.throws(() => allocateAveragely.allocate('G', 'c0', [], ['c0']), /mqAll/);
  assert.throws(() => allocateAveragely.allocate('G', '', m3, ['c0']), /currentCID/);
  assert.throws(() => allocateAveragely.allocate('G', 'c0', m3, []), /cidAll/);
});

test('AveragelyByCircle: queue i goes to consumer i % n', () => {
  const mqs = queues('T', [['broker-a', 10]]);
  assert.deepEqual(shares(allocateAveragelyByCircle, mqs, ['c0', 'c1', 'c2']), [idx(mqs, [0, 3, 6, 9]), idx(mqs, [1, 4, 7]), idx(mqs, [2, 5, 8])]);
  const m2 = queues('T', [['a', 2]]);
  assert.deepEqual(shares(allocateAveragelyByCircle, m2, ['c0', 'c1', 'c2']), [idx(m2, [0]), idx(m2, [1]), []]);
});

test('every consumer-count split covers each queue exactly once (Averagely, ByCircle, ConsistentHash)', () => {
  const mqs = queues('T', [['a', 7], ['b', 5]]);
  for (const s of [allocateAveragely, allocateAveragelyByCircle, allocateConsistentHash()]) {
    for (let n = 1; n <= 15; n++) {
      const cids = sortConsumerIds(Array.from({ length: n }, (_, i) => `10.0.0.${i}@${i}`));
      const all = shares(s, mqs, cids).flat();
      assert.equal(all.length, mqs.length, `${s.name} n=${n}`);
      assert.equal(new Set(all).size, mqs.length, `${s.name} n=${n}`);
    }
  }
});

test('ConsistentHash: MD5 ring hash and Java toString key', () => {
  // Values computed with java.security.MessageDigest the way ConsistentHashRouter's MD5Hash does.
  assert.equal(md5RingHash('abc'), 2416005272);
  assert.equal(md5RingHash('c1-0'), 3886541579);
  assert.equal(messageQueueToJavaString({ topic: 'T', brokerName: 'broker-a', queueId: 0 }), 'MessageQueue [topic=T, brokerName=broker-a, queueId=0]');
  assert.equal(md5RingHash('MessageQueue [topic=T, brokerName=broker-a, queueId=0]'), 1630488180);
});

// Owner index per queue (brokers "broker-a" then "broker-b", queue ids ascending), from a Java TreeMap ring with
// 10 virtual nodes per consumer, as AllocateMessageQueueConsistentHash builds it.
const CONSISTENT_HASH_TABLE: Array<{ perBroker: number; cids: string[]; owners: number[] }> = [
  { perBroker: 4, cids: ['c1', 'c2', 'c3'], owners: [0, 1, 1, 2, 0, 2, 1, 0] },
  { perBroker: 8, cids: ['10.0.0.1@1', '10.0.0.2@1', '10.0.0.3@1'], owners: [0, 1, 2, 2, 0, 2, 1, 0, 1, 0, 1, 1, 0, 0, 2, 0] },
  {
    perBroker: 16,
    cids: ['a', 'b'],
    owners: [0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1],
  },
  { perBroker: 5, cids: ['x'], owners: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  {
    perBroker: 6,
    cids: ['192.168.0.1@100#abc', '192.168.0.2@200#def', '192.168.0.3@300#ghi', '192.168.0.4@400#jkl'],
    owners: [2, 3, 0, 1, 0, 2, 3, 0, 1, 3, 2, 3],
  },
];

test('ConsistentHash: same assignments as Java for the same input', () => {
  const s = allocateConsistentHash();
  for (const row of CONSISTENT_HASH_TABLE) {
    const mqs = queues('T', [['broker-a', row.perBroker], ['broker-b', row.perBroker]]);
    const got = shares(s, mqs, row.cids);
    const want = row.cids.map((_, ci) => idx(mqs, row.owners.flatMap((o, qi) => (o === ci ? [qi] : []))));
    assert.deepEqual(got, want, `cids ${row.cids.join(',')}`);
  }
  assert.deepEqual(s.allocate('G', 'stranger', queues('T', [['a', 2]]), ['c1']), []);
  assert.throws(() => allocateConsistentHash(-1), /virtualNodeCnt/);
});

test('ByConfig returns the configured queues whatever the input', () => {
  const fixed = [{ topic: 'T', brokerName: 'b', queueId: 3 }];
  const s = allocateByConfig(fixed);
  assert.deepEqual(s.allocate('G', 'c0', queues('T', [['a', 4]]), ['c0', 'c1']), fixed);
  assert.deepEqual(s.allocate('G', 'c9', [], []), fixed);
});

test('ByMachineRoom: only "<idc>@name" brokers of the consumer idcs, blocks plus remainder', () => {
  const mqs = queues('T', [['hz@b1', 4], ['sh@b2', 4], ['hz@b3', 2], ['plain', 2], ['hz@x@y', 1]]);
  const s = allocateByMachineRoom(['hz']);
  const cids = ['c0', 'c1', 'c2', 'c3'];
  assert.deepEqual(shares(s, mqs, cids), [
    ['hz@b1:0', 'hz@b3:0'],
    ['hz@b1:1', 'hz@b3:1'],
    ['hz@b1:2'],
    ['hz@b1:3'],
  ]);
  assert.deepEqual(s.allocate('G', 'nobody', mqs, cids), []);
  assert.deepEqual(shares(allocateByMachineRoom(['sh', 'hz']), mqs, ['c0', 'c1']), [
    ['hz@b1:0', 'hz@b1:1', 'hz@b1:2', 'hz@b1:3', 'hz@b3:0'],
    ['hz@b3:1', 'sh@b2:0', 'sh@b2:1', 'sh@b2:2', 'sh@b2:3'],
  ]);
});
