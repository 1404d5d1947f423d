// Pure helpers for transactional messages (PROTOCOL.md §8.3, §5.3): which sends are half messages, how a half message
// is parked in RMQ_SYS_TRANS_HALF_TOPIC and restored to its real topic on commit, op-record bodies, and the record
// written to TRANS_CHECK_MAX_TIME_TOPIC. No I/O here.
import {
  MessageConst,
  MessageSysFlag,
  resetTransactionValue,
  transactionType,
} from '../../common/message/message-const.ts';
import { decodeProperties, encodeProperties } from '../../common/message/message-properties.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import type { PutMessageInput } from '../../store/message-store.ts';
import { SystemTopic } from '../topic/topic-validator.ts';

/** Internal consumer group whose offsets on the half and op topics record the checker's progress (§8.3). */
export const TRANS_CHECK_GROUP = 'CID_RMQ_SYS_TRANS';
/** Tag of op records ("remove"). */
export const OP_REMOVE_TAG = 'd';
/** Half and op messages live in queue 0. */
export const HALF_QUEUE_ID = 0;

/** A send is a half message when its sysFlag says PREPARED or it carries TRAN_MSG=true (Java looks at the property). */
export function isHalfMessage(sysFlag: number, props: Readonly<Record<string, string>>): boolean {
  return transactionType(sysFlag) === MessageSysFlag.TRANSACTION_PREPARED_TYPE || props[MessageConst.TRAN_MSG] === 'true';
}

/**
 * The record actually stored for a half message: REAL_TOPIC / REAL_QID / __transactionId__ added, transaction bits
 * cleared (so the half topic's consume queue indexes it), topic RMQ_SYS_TRANS_HALF_TOPIC queue 0.
 */
export function toHalfMessageInput(input: PutMessageInput): PutMessageInput {
  const props = decodeProperties(input.properties);
  props[MessageConst.REAL_TOPIC] = input.topic;
  props[MessageConst.REAL_QID] = String(input.queueId);
  const uniq = props[MessageConst.UNIQ_KEY];
  if (uniq !== undefined && props[MessageConst.TRANSACTION_ID] === undefined) props[MessageConst.TRANSACTION_ID] = uniq;
  return {
    ...input,
    topic: SystemTopic.TRANS_HALF_TOPIC,
    queueId: HALF_QUEUE_ID,
    sysFlag: resetTransactionValue(input.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE),
    properties: encodeProperties(props),
  };
}

/** The transaction id of a stored half message: UNIQ_KEY, else __transactionId__, else its offsetMsgId. */
export function transactionKey(m: Pick<DecodedMessage, 'properties' | 'msgId'>): string {
  return m.properties[MessageConst.UNIQ_KEY] ?? m.properties[MessageConst.TRANSACTION_ID] ?? m.msgId;
}

function realQueueId(m: Pick<DecodedMessage, 'properties' | 'queueId'>): number {
  const q = Number(m.properties[MessageConst.REAL_QID]);
  return Number.isInteger(q) && q >= 0 ? q : m.queueId;
}

/** Real topic of a half message (its own topic when REAL_TOPIC is missing). */
export function realTopic(m: Pick<DecodedMessage, 'properties' | 'topic'>): string {
  return m.properties[MessageConst.REAL_TOPIC] ?? m.topic;
}

function withoutKeys(props: Readonly<Record<string, string>>, drop: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(props)) if (!drop.includes(k)) out[k] = v;
  return out;
}

/**
 * The committed message (Java EndTransactionProcessor): real topic and queue, every property of the half message
 * except REAL_TOPIC / REAL_QID (TRAN_MSG and PGROUP stay, as in Java), sysFlag transaction bits = COMMIT,
 * preparedTransactionOffset = the half record's commit-log offset; born/store hosts and born time kept.
 */
export function toCommitInput(half: DecodedMessage): PutMessageInput {
  const props = withoutKeys(half.properties, [MessageConst.REAL_TOPIC, MessageConst.REAL_QID]);
  return {
    topic: realTopic(half),
    queueId: realQueueId(half),
    flag: half.flag,
    body: half.body,
    properties: encodeProperties(props),
    sysFlag: resetTransactionValue(half.sysFlag, MessageSysFlag.TRANSACTION_COMMIT_TYPE),
    bornTimestamp: half.bornTimestamp,
    bornHost: half.bornHost,
    storeHost: half.storeHost,
    reconsumeTimes: half.reconsumeTimes,
    preparedTransactionOffset: half.commitLogOffset,
  };
}

/** A copy of a half message appended again to the half queue (check-back), with `props` replacing its properties. */
export function toHalfCopyInput(half: DecodedMessage, props: Readonly<Record<string, string>>): PutMessageInput {
  return {
    topic: SystemTopic.TRANS_HALF_TOPIC,
    queueId: HALF_QUEUE_ID,
    flag: half.flag,
    body: half.body,
    properties: encodeProperties(props),
    sysFlag: half.sysFlag,
    bornTimestamp: half.bornTimestamp,
    bornHost: half.bornHost,
    storeHost: half.storeHost,
    reconsumeTimes: half.reconsumeTimes,
    preparedTransactionOffset: half.preparedTransactionOffset,
  };
}

/** A half message checked too often, parked in TRANS_CHECK_MAX_TIME_TOPIC queue 0 with its properties kept. */
export function toCheckMaxTimeInput(half: DecodedMessage): PutMessageInput {
  return { ...toHalfCopyInput(half, half.properties), topic: SystemTopic.TRANS_CHECK_MAX_TIME_TOPIC, queueId: 0 };
}

/** Op record body: decimal half-queue offsets, each followed by "," (§8.3). */
export function encodeOpBody(halfQueueOffsets: readonly number[]): Buffer {
  return Buffer.from(halfQueueOffsets.map((o) => `${o},`).join(''), 'utf8');
}

/** Half-queue offsets of an op body; tolerates the 4.x form (one offset, no trailing comma) and junk entries. */
export function decodeOpBody(body: Buffer): number[] {
  const out: number[] = [];
  for (const part of body.toString('utf8').split(',')) {
    const s = part.trim();
    if (!/^\d+$/.test(s)) continue;
    out.push(Number(s));
  }
  return out;
}

/** Check-back count of a half message (TRANSACTION_CHECK_TIMES, 0 when absent or malformed). */
export function checkTimes(props: Readonly<Record<string, string>>): number {
  const n = Number(props[MessageConst.TRANSACTION_CHECK_TIMES]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** CHECK_IMMUNITY_TIME_IN_SECONDS × 1000, or undefined when absent / not a positive number. */
export function checkImmunityMs(props: Readonly<Record<string, string>>): number | undefined {
  const raw = props[MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS];
  if (raw === undefined) return undefined;
  const s = Number(raw);
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}
