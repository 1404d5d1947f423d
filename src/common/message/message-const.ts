// Message property names (MessageConst) and sysFlag bit tables (MessageSysFlag, PullSysFlag, TopicSysFlag). §5.1, §5.3.

/** Property keys as written in the properties string. */
export const MessageConst = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  WAIT: 'WAIT',
  DELAY: 'DELAY',
  RETRY_TOPIC: 'RETRY_TOPIC',
  REAL_TOPIC: 'REAL_TOPIC',
  REAL_QID: 'REAL_QID',
  TRAN_MSG: 'TRAN_MSG',
  PGROUP: 'PGROUP',
  MIN_OFFSET: 'MIN_OFFSET',
  MAX_OFFSET: 'MAX_OFFSET',
  BUYER_ID: 'BUYER_ID',
  ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  TRANSFER_FLAG: 'TRANSFER_FLAG',
  CORRECTION_FLAG: 'CORRECTION_FLAG',
  MQ2_FLAG: 'MQ2_FLAG',
  RECONSUME_TIME: 'RECONSUME_TIME',
  MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  MSG_REGION: 'MSG_REGION',
  TRACE_ON: 'TRACE_ON',
  UNIQ_KEY: 'UNIQ_KEY',
  EXTEND_UNIQ_INFO: 'EXTEND_UNIQ_INFO',
  DUP_INFO: 'DUP_INFO',
  INNER_NUM: 'INNER_NUM',
  INNER_BASE: 'INNER_BASE',
  CONSUME_START_TIME: 'CONSUME_START_TIME',
  CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  TRAN_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  TRANSACTION_ID: '__transactionId__',
  INSTANCE_ID: 'INSTANCE_ID',
  CORRELATION_ID: 'CORRELATION_ID',
  REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  TTL: 'TTL',
  ARRIVE_TIME: 'ARRIVE_TIME',
  PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  MSG_TYPE: 'MSG_TYPE',
  CLUSTER: 'CLUSTER',
  POP_CK: 'POP_CK',
  POP_CK_OFFSET: 'POP_CK_OFFSET',
  FIRST_POP_TIME: '1ST_POP_TIME',
  SHARDING_KEY: '__SHARDINGKEY',
  FORWARD_QUEUE_ID: 'PROPERTY_FORWARD_QUEUE_ID',
  REDIRECT: 'REDIRECT',
  INNER_MULTI_DISPATCH: 'INNER_MULTI_DISPATCH',
  INNER_MULTI_QUEUE_OFFSET: 'INNER_MULTI_QUEUE_OFFSET',
  TRACE_CONTEXT: 'TRACE_CONTEXT',
  TIMER_DELAY_SEC: 'TIMER_DELAY_SEC',
  TIMER_DELAY_MS: 'TIMER_DELAY_MS',
  TIMER_DELIVER_MS: 'TIMER_DELIVER_MS',
  TIMER_ENQUEUE_MS: 'TIMER_ENQUEUE_MS',
  TIMER_DEQUEUE_MS: 'TIMER_DEQUEUE_MS',
  TIMER_ROLL_TIMES: 'TIMER_ROLL_TIMES',
  TIMER_OUT_MS: 'TIMER_OUT_MS',
  TIMER_DEL_UNIQKEY: 'TIMER_DEL_UNIQKEY',
  TIMER_DELAY_LEVEL: 'TIMER_DELAY_LEVEL',
  BORN_HOST: '__BORNHOST',
  BORN_TIMESTAMP: 'BORN_TIMESTAMP',
  CRC32: '__CRC32#',
  DLQ_ORIGIN_TOPIC: 'DLQ_ORIGIN_TOPIC',
  DLQ_ORIGIN_MESSAGE_ID: 'DLQ_ORIGIN_MESSAGE_ID',
  START_DELIVER_TIME: '__STARTDELIVERTIME',
} as const;
export type MessageConst = (typeof MessageConst)[keyof typeof MessageConst];

/** Keys with this prefix live only in memory and are never written to the properties string (§5.1). */
export const TRANSIENT_PROPERTY_PREFIX = '__RMQ.TRANSIENT.';
/** Separator between KEYS tokens. */
export const KEY_SEPARATOR = ' ';
/** Value of MSG_TYPE on a reply message. */
export const REPLY_MESSAGE_FLAG = 'reply';

/** Message sysFlag bits (§5.3). */
export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x2,
  TRANSACTION_NOT_TYPE: 0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  TRANSACTION_MASK: 0xc,
  BORNHOST_V6_FLAG: 0x10,
  STOREHOST_V6_FLAG: 0x20,
  NEED_UNWRAP_FLAG: 0x40,
  INNER_BATCH_FLAG: 0x80,
  COMPRESSION_TYPE_MASK: 0x700,
  COMPRESSION_LZ4: 0x100,
  COMPRESSION_ZSTD: 0x200,
  COMPRESSION_ZLIB: 0x300,
} as const;
export type MessageSysFlag = (typeof MessageSysFlag)[keyof typeof MessageSysFlag];

/** The transaction type bits of a sysFlag: one of the TRANSACTION_*_TYPE values. */
export function transactionType(sysFlag: number): number {
  return sysFlag & MessageSysFlag.TRANSACTION_MASK;
}

/** `sysFlag` with its transaction bits replaced by `type`. */
export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~MessageSysFlag.TRANSACTION_MASK) | (type & MessageSysFlag.TRANSACTION_MASK);
}

export function isCompressed(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0;
}

export const CompressionType = { NONE: 'NONE', LZ4: 'LZ4', ZSTD: 'ZSTD', ZLIB: 'ZLIB' } as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

/** Compression of the body: NONE if the COMPRESSED bit is clear; type bits 0 with COMPRESSED set mean ZLIB (legacy). */
export function compressionType(sysFlag: number): CompressionType {
  if (!isCompressed(sysFlag)) return CompressionType.NONE;
  switch (sysFlag & MessageSysFlag.COMPRESSION_TYPE_MASK) {
    case MessageSysFlag.COMPRESSION_LZ4:
      return CompressionType.LZ4;
    case MessageSysFlag.COMPRESSION_ZSTD:
      return CompressionType.ZSTD;
    default:
      return CompressionType.ZLIB;
  }
}

export function isBornHostV6(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0;
}

export function isStoreHostV6(sysFlag: number): boolean {
  return (sysFlag & MessageSysFlag.STOREHOST_V6_FLAG) !== 0;
}

/** PULL_MESSAGE request sysFlag bits (§5.3). */
export const PullSysFlag = {
  COMMIT_OFFSET: 0x1,
  SUSPEND: 0x2,
  SUBSCRIPTION: 0x4,
  CLASS_FILTER: 0x8,
  LITE_PULL: 0x10,
} as const;
export type PullSysFlag = (typeof PullSysFlag)[keyof typeof PullSysFlag];

export interface PullSysFlagParts {
  commitOffset: boolean;
  suspend: boolean;
  subscription: boolean;
  classFilter: boolean;
  litePull?: boolean;
}

export function buildPullSysFlag(p: PullSysFlagParts): number {
  return (
    (p.commitOffset ? PullSysFlag.COMMIT_OFFSET : 0) |
    (p.suspend ? PullSysFlag.SUSPEND : 0) |
    (p.subscription ? PullSysFlag.SUBSCRIPTION : 0) |
    (p.classFilter ? PullSysFlag.CLASS_FILTER : 0) |
    (p.litePull === true ? PullSysFlag.LITE_PULL : 0)
  );
}

export function parsePullSysFlag(sysFlag: number): Required<PullSysFlagParts> {
  return {
    commitOffset: (sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0,
    suspend: (sysFlag & PullSysFlag.SUSPEND) !== 0,
    subscription: (sysFlag & PullSysFlag.SUBSCRIPTION) !== 0,
    classFilter: (sysFlag & PullSysFlag.CLASS_FILTER) !== 0,
    litePull: (sysFlag & PullSysFlag.LITE_PULL) !== 0,
  };
}

/** Pull sysFlag with the COMMIT_OFFSET bit cleared (broker does this when it has no offset to commit). */
export function clearCommitOffsetFlag(sysFlag: number): number {
  return sysFlag & ~PullSysFlag.COMMIT_OFFSET;
}

/** Topic sysFlag bits (§5.3). */
export const TopicSysFlag = { UNIT: 0x1, UNIT_SUB: 0x2 } as const;
export type TopicSysFlag = (typeof TopicSysFlag)[keyof typeof TopicSysFlag];

export function buildTopicSysFlag(unit: boolean, hasUnitSub: boolean): number {
  return (unit ? TopicSysFlag.UNIT : 0) | (hasUnitSub ? TopicSysFlag.UNIT_SUB : 0);
}
