// Where a message is really stored when it asks to be delivered later (PROTOCOL.md §8.1, Java HookUtils):
// - DELAY level > 0 → SCHEDULE_TOPIC_XXXX queue (level − 1) with REAL_TOPIC / REAL_QID; levels above the table clamp;
// - TIMER_DELIVER_MS / TIMER_DELAY_MS / TIMER_DELAY_SEC (5.x) and ali-ons' __STARTDELIVERTIME → rmq_sys_wheel_timer
//   queue 0 with TIMER_OUT_MS (deliver time rounded UP to timerPrecisionMs: never early) + REAL_TOPIC / REAL_QID.
// And the way back: a parked record becomes a put to its real topic with the scheduling properties removed.
import { MessageConst, MessageSysFlag, transactionType } from '../common/message/message-const.ts';
import type { DecodedMessage } from '../common/message/message-record.ts';
import type { HostAddress } from '../common/message/host-address.ts';
import { encodeProperties } from '../common/message/message-properties.ts';
import { ResponseCode } from '../remoting/protocol/response-code.ts';
import { SCHEDULE_TOPIC, parseDelayLevels } from '../store/index.ts';
import type { MessageStoreConfig, PutMessageInput } from '../store/index.ts';
import { reject } from './processor/reply.ts';
import { DLQ_GROUP_TOPIC_PREFIX } from './topic/topic-validator.ts';

/** System topic timer messages are parked in until the time wheel delivers them (queue 0). */
export const TIMER_TOPIC = 'rmq_sys_wheel_timer';

/** Properties that ask for timed delivery; stripped on delivery. */
export const TIMER_PROPERTIES: readonly string[] = [
  MessageConst.TIMER_DELIVER_MS,
  MessageConst.TIMER_DELAY_MS,
  MessageConst.TIMER_DELAY_SEC,
  MessageConst.START_DELIVER_TIME,
  MessageConst.TIMER_OUT_MS,
];

export interface PutTarget {
  topic: string;
  queueId: number;
}

/** What the transform needs to know (a BrokerContext satisfies it). */
export interface DelayTransformContext {
  readonly messageStoreConfig: MessageStoreConfig;
  now(): number;
}

const levelCache = new Map<string, number[]>();

/** Delay of each level (ms, index 0 = level 1) for a messageDelayLevel string, cached. */
export function delayLevelTable(spec: string): number[] {
  let t = levelCache.get(spec);
  if (t === undefined) {
    t = parseDelayLevels(spec);
    levelCache.set(spec, t);
  }
  return t;
}

function parseIntProp(props: Readonly<Record<string, string>>, key: string): number | undefined {
  const v = props[key];
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) {
    throw reject(ResponseCode.MESSAGE_ILLEGAL, `the message property ${key}=${v} is not an integer`);
  }
  return Number(v.trim());
}

/** Absolute deliver time (ms) a message asks for through timer properties, or undefined. */
function requestedDeliverMs(props: Readonly<Record<string, string>>, now: number, timerEnabled: boolean): number | undefined {
  const deliver = parseIntProp(props, MessageConst.TIMER_DELIVER_MS);
  const delayMs = parseIntProp(props, MessageConst.TIMER_DELAY_MS);
  const delaySec = parseIntProp(props, MessageConst.TIMER_DELAY_SEC);
  const apache = deliver ?? (delayMs !== undefined ? now + delayMs : delaySec !== undefined ? now + delaySec * 1000 : undefined);
  if (apache !== undefined && !timerEnabled) {
    throw reject(ResponseCode.MESSAGE_ILLEGAL, 'timer messages are not enabled on this broker (timerWheelEnable=false)');
  }
  if (apache !== undefined) return apache;
  // __STARTDELIVERTIME (ali-ons setStartDeliverTime): honoured as an extension; silently ignored when timers are off.
  return timerEnabled ? parseIntProp(props, MessageConst.START_DELIVER_TIME) : undefined;
}

/**
 * Decides where a message about to be put is stored, mutating `props` (REAL_TOPIC / REAL_QID / DELAY / TIMER_OUT_MS).
 * Half / rollback transaction records are left alone (the transaction service parks them). DLQ targets never wait.
 * Throws a reject(13) for a timer beyond timerMaxDelaySec or a malformed timer property.
 */
export function applyDelayTransform(
  ctx: DelayTransformContext,
  target: PutTarget,
  props: Record<string, string>,
  sysFlag: number,
): PutTarget {
  const tx = transactionType(sysFlag);
  if (tx !== MessageSysFlag.TRANSACTION_NOT_TYPE && tx !== MessageSysFlag.TRANSACTION_COMMIT_TYPE) return target;
  if (target.topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) {
    delete props[MessageConst.DELAY];
    return target;
  }
  const cfg = ctx.messageStoreConfig;
  const level = Number.parseInt(props[MessageConst.DELAY] ?? '', 10);
  if (level > 0) {
    for (const k of TIMER_PROPERTIES) delete props[k];
    const max = delayLevelTable(cfg.messageDelayLevel).length;
    const capped = Math.min(level, max);
    if (capped !== level) props[MessageConst.DELAY] = String(capped);
    props[MessageConst.REAL_TOPIC] = target.topic;
    props[MessageConst.REAL_QID] = String(target.queueId);
    return { topic: SCHEDULE_TOPIC, queueId: capped - 1 };
  }
  const now = ctx.now();
  const deliverMs = requestedDeliverMs(props, now, cfg.timerWheelEnable);
  if (deliverMs === undefined || deliverMs <= now) return target;
  const maxMs = cfg.timerMaxDelaySec * 1000;
  if (deliverMs - now > maxMs) {
    throw reject(
      ResponseCode.MESSAGE_ILLEGAL,
      `timer message delay ${Math.ceil((deliverMs - now) / 1000)} s exceeds the maximum of ${cfg.timerMaxDelaySec} s (timerMaxDelaySec)`,
    );
  }
  const p = cfg.timerPrecisionMs;
  props[MessageConst.TIMER_OUT_MS] = String(Math.ceil(deliverMs / p) * p);
  props[MessageConst.REAL_TOPIC] = target.topic;
  props[MessageConst.REAL_QID] = String(target.queueId);
  return { topic: TIMER_TOPIC, queueId: 0 };
}

/**
 * The put that delivers a parked record (SCHEDULE_TOPIC_XXXX or rmq_sys_wheel_timer) to REAL_TOPIC / REAL_QID:
 * same body, flag, sysFlag, born time/host, reconsume times and properties minus `strip`; WAIT=false. Undefined
 * when the record has no valid REAL_TOPIC / REAL_QID.
 */
export function restoreParkedMessage(msg: DecodedMessage, strip: readonly string[], storeHost: HostAddress): PutMessageInput | undefined {
  const topic = msg.properties[MessageConst.REAL_TOPIC];
  const qid = Number.parseInt(msg.properties[MessageConst.REAL_QID] ?? '', 10);
  if (topic === undefined || topic === '' || !Number.isInteger(qid) || qid < 0) return undefined;
  const props: Record<string, string> = { ...msg.properties };
  for (const k of strip) delete props[k];
  props[MessageConst.WAIT] = 'false';
  return {
    topic,
    queueId: qid,
    flag: msg.flag,
    body: msg.body,
    properties: encodeProperties(props),
    sysFlag: msg.sysFlag,
    bornTimestamp: msg.bornTimestamp,
    bornHost: msg.bornHost,
    storeHost,
    reconsumeTimes: msg.reconsumeTimes,
    preparedTransactionOffset: msg.preparedTransactionOffset,
  };
}
