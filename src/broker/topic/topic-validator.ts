// Topic and group name rules and the fixed system topic/group names (PROTOCOL.md §11, §8; Java TopicValidator, MixAll).

export const SystemTopic = {
  AUTO_CREATE_TOPIC_KEY_TOPIC: 'TBW102',
  SCHEDULE_TOPIC: 'SCHEDULE_TOPIC_XXXX',
  BENCHMARK_TOPIC: 'BenchmarkTest',
  TRANS_HALF_TOPIC: 'RMQ_SYS_TRANS_HALF_TOPIC',
  TRANS_OP_HALF_TOPIC: 'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  TRANS_CHECK_MAX_TIME_TOPIC: 'TRANS_CHECK_MAX_TIME_TOPIC',
  TRACE_TOPIC: 'RMQ_SYS_TRACE_TOPIC',
  SELF_TEST_TOPIC: 'SELF_TEST_TOPIC',
  OFFSET_MOVED_EVENT: 'OFFSET_MOVED_EVENT',
  ROCKSDB_OFFSET_TOPIC: 'CHECKPOINT_TOPIC',
} as const;

/** Topics whose name starts with this are system topics (5.x). */
export const SYSTEM_TOPIC_PREFIX = 'rmq_sys_';
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';
/** Queues of SCHEDULE_TOPIC_XXXX: one per delay level. */
export const SCHEDULE_TOPIC_QUEUE_NUM = 18;

export const TOPIC_MAX_LENGTH = 127;
export const RETRY_OR_DLQ_TOPIC_MAX_LENGTH = 255;
export const GROUP_MAX_LENGTH = 120;

const BASE_SYSTEM_TOPICS: ReadonlySet<string> = new Set(Object.values(SystemTopic));

/**
 * Topics clients may not send to (→ 16 NO_PERMISSION). Java 5.x omits TBW102 from this list; PROTOCOL.md §11 (and Java
 * 4.x's isTopicCanSendMessage) refuse it, and so do we.
 */
const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  SystemTopic.AUTO_CREATE_TOPIC_KEY_TOPIC,
  SystemTopic.SCHEDULE_TOPIC,
  SystemTopic.TRANS_HALF_TOPIC,
  SystemTopic.TRANS_OP_HALF_TOPIC,
  SystemTopic.TRANS_CHECK_MAX_TIME_TOPIC,
  SystemTopic.SELF_TEST_TOPIC,
  SystemTopic.OFFSET_MOVED_EVENT,
]);

export type ValidateResult = { valid: true } | { valid: false; remark: string };

const VALID_NAME = /^[%|a-zA-Z0-9_-]+$/;

function isBlank(s: string): boolean {
  return s.trim() === '';
}

/** TopicValidator.validateTopic: non-blank, `^[%|a-zA-Z0-9_-]+$`, ≤ 127 chars (≤ 255 for %RETRY%/%DLQ% topics). */
export function validateTopic(topic: string | undefined | null): ValidateResult {
  if (topic === undefined || topic === null || isBlank(topic)) return { valid: false, remark: 'The specified topic is blank.' };
  if (!VALID_NAME.test(topic)) {
    return {
      valid: false,
      remark: `The specified topic: ${topic}, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    };
  }
  if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) {
    if (topic.length > RETRY_OR_DLQ_TOPIC_MAX_LENGTH) {
      return {
        valid: false,
        remark: `The specified topic is DLQ or Retry topic: ${topic}, and it's longer than topic max length: ${RETRY_OR_DLQ_TOPIC_MAX_LENGTH}`,
      };
    }
  } else if (topic.length > TOPIC_MAX_LENGTH) {
    return { valid: false, remark: `The specified topic: ${topic}, is longer than topic max length: ${TOPIC_MAX_LENGTH}` };
  }
  return { valid: true };
}

/** TopicValidator.validateGroup: non-blank, `^[%|a-zA-Z0-9_-]+$`, ≤ 120 chars. */
export function validateGroup(group: string | undefined | null): ValidateResult {
  if (group === undefined || group === null || isBlank(group)) return { valid: false, remark: 'The specified group is blank.' };
  if (!VALID_NAME.test(group)) {
    return {
      valid: false,
      remark: `The specified group: ${group}, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    };
  }
  if (group.length > GROUP_MAX_LENGTH) {
    return { valid: false, remark: `The specified group: ${group}, is longer than group max length: ${GROUP_MAX_LENGTH}` };
  }
  return { valid: true };
}

/** Fixed system topics and `rmq_sys_*`; per-broker ones (cluster/broker name…) are known to TopicConfigManager. */
export function isBaseSystemTopic(topic: string): boolean {
  return BASE_SYSTEM_TOPICS.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}

export function retryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

export function dlqTopic(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

export function isDlqTopic(topic: string): boolean {
  return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}
