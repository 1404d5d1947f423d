import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  INDEX_HEADER_SIZE,
  INDEX_ENTRY_SIZE,
  readIndexHeader,
  writeIndexHeader,
  readIndexEntry,
  writeIndexEntry,
  indexFileSize,
  entryPosition,
  slotPosition,
  buildIndexKey,
  indexKeyHash,
  timeDiffSeconds,
} from '../../../src/store/index/index-codec.ts';

test('golden header: 40 bytes, int64 times and offsets, int32 counts', () => {
  const h = {
    beginTimestamp: 0x0102030405,
    endTimestamp: 0x0a0b0c0d0e,
    beginPhyOffset: 0x1112131415,
    endPhyOffset: 0x2122232425,
    hashSlotCount: 0x31323334,
    indexCount: 0x41424344,
  };
  const b = Buffer.alloc(INDEX_HEADER_SIZE);
  writeIndexHeader(h, b);
  assert.equal(
    b.toString('hex'),
    '0000000102030405' + '0000000a0b0c0d0e' + '0000001112131415' + '0000002122232425' + '31323334' + '41424344',
  );
  assert.deepEqual(readIndexHeader(b), h);
  // a never-written header reads with indexCount 1 (entry 0 is unused)
  assert.equal(readIndexHeader(Buffer.alloc(40)).indexCount, 1);
});

test('golden entry: keyHash, commit-log offset, timeDiff, previous entry', () => {
  const e = { keyHash: 0x01020304, phyOffset: 0x0506070809, timeDiff: 0x0a0b0c0d, prevIndex: 7 };
  const b = Buffer.alloc(INDEX_ENTRY_SIZE);
  writeIndexEntry(e, b, 0);
  assert.equal(b.toString('hex'), '01020304' + '0000000506070809' + '0a0b0c0d' + '00000007');
  assert.deepEqual(readIndexEntry(b, 0), e);
});

test('sizes and positions (§7.4 defaults: 420,000,040 bytes)', () => {
  assert.equal(indexFileSize(5_000_000, 20_000_000), 420_000_040);
  assert.equal(slotPosition(3), 52);
  assert.equal(entryPosition(10, 1), 40 + 40 + 20);
});

test('key hash: abs(String.hashCode), MIN_VALUE → 0', () => {
  assert.equal(buildIndexKey('TopicTest', 'KEY1'), 'TopicTest#KEY1');
  assert.equal(indexKeyHash('TopicTest#KEY1'), 1656969516);
  assert.equal(indexKeyHash('TagA'), 2598919);
  assert.equal(indexKeyHash('polygenelubricants'), 0);
});

test('timeDiffSeconds clamps', () => {
  assert.equal(timeDiffSeconds(0, 5000), 0);
  assert.equal(timeDiffSeconds(1000, 500), 0);
  assert.equal(timeDiffSeconds(1000, 3999), 2);
  assert.equal(timeDiffSeconds(1, 1 + 2 ** 31 * 1000 * 2), 0x7fffffff);
});
