import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MessageConst,
  MessageSysFlag,
  PullSysFlag,
  TopicSysFlag,
  transactionType,
  resetTransactionValue,
  compressionType,
  isBornHostV6,
  isStoreHostV6,
  buildPullSysFlag,
  parsePullSysFlag,
  clearCommitOffsetFlag,
  buildTopicSysFlag,
} from '../../../src/common/message/message-const.ts';

test('property names are the wire strings', () => {
  assert.equal(MessageConst.KEYS, 'KEYS');
  assert.equal(MessageConst.WAIT, 'WAIT');
  assert.equal(MessageConst.REAL_QID, 'REAL_QID');
  assert.equal(MessageConst.TRAN_MSG, 'TRAN_MSG');
  assert.equal(MessageConst.UNIQ_KEY, 'UNIQ_KEY');
  assert.equal(MessageConst.FIRST_POP_TIME, '1ST_POP_TIME');
  assert.equal(MessageConst.SHARDING_KEY, '__SHARDINGKEY');
  assert.equal(MessageConst.TRANSACTION_ID, '__transactionId__');
});

test('sysFlag helpers', () => {
  assert.equal(transactionType(0x8 | 0x1 | 0x300), MessageSysFlag.TRANSACTION_COMMIT_TYPE);
  assert.equal(transactionType(0xc), MessageSysFlag.TRANSACTION_ROLLBACK_TYPE);
  assert.equal(resetTransactionValue(0x4 | 0x1, MessageSysFlag.TRANSACTION_COMMIT_TYPE), 0x8 | 0x1);
  assert.equal(compressionType(0), 'NONE');
  assert.equal(compressionType(0x300), 'NONE', 'type bits without COMPRESSED mean not compressed');
  assert.equal(compressionType(0x1), 'ZLIB', 'legacy: COMPRESSED with type 0');
  assert.equal(compressionType(0x1 | 0x300), 'ZLIB');
  assert.equal(compressionType(0x1 | 0x100), 'LZ4');
  assert.equal(compressionType(0x1 | 0x200), 'ZSTD');
  assert.equal(isBornHostV6(0x10), true);
  assert.equal(isStoreHostV6(0x10), false);
  assert.equal(isStoreHostV6(0x20), true);
});

test('pull and topic sysFlag', () => {
  const f = buildPullSysFlag({ commitOffset: true, suspend: true, subscription: true, classFilter: false });
  assert.equal(f, 0x7);
  assert.deepEqual(parsePullSysFlag(f | PullSysFlag.LITE_PULL), {
    commitOffset: true,
    suspend: true,
    subscription: true,
    classFilter: false,
    litePull: true,
  });
  assert.equal(clearCommitOffsetFlag(f), 0x6);
  assert.equal(buildTopicSysFlag(true, true), TopicSysFlag.UNIT | TopicSysFlag.UNIT_SUB);
});
