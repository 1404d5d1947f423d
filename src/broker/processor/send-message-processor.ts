// SEND_MESSAGE 10 / SEND_MESSAGE_V2 310 / SEND_BATCH_MESSAGE 320 (PROTOCOL.md §2.2, §5.5, §12.7; Java
// SendMessageProcessor + AbstractSendMessageProcessor.msgCheck). Validates, auto-creates topics from TBW102, routes
// over-retried %RETRY% sends to the DLQ, stamps CLUSTER/UNIQ_KEY, stores, and maps the store status to a reply code.
import { errorMessage } from '../../common/errors.ts';
import { parseHostPort } from '../../common/message/host-address.ts';
import type { HostAddress } from '../../common/message/host-address.ts';
import { decodeBatchBody } from '../../common/message/message-batch.ts';
import { MessageConst, MessageSysFlag, transactionType } from '../../common/message/message-const.ts';
import { createUniqKey } from '../../common/message/message-id.ts';
import {
  decodeProperties,
  encodeProperties,
  MAX_PROPERTIES_LENGTH,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
  propertyValue,
  scanPropertyKeys,
} from '../../common/message/message-properties.ts';
import {
  SendMessageRequestHeader,
  SendMessageRequestHeaderV2,
  sendHeaderV2ToV1,
} from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../remoting/protocol/remoting-command.ts';
import { MQVersion } from '../../remoting/protocol/version.ts';
import type { RemotingChannel, RequestHandler } from '../../remoting/transport/types.ts';
import { PutMessageStatus } from '../../store/commitlog/commit-log.ts';
import type { PutMessageInput, PutMessageResult } from '../../store/message-store.ts';
import { brokerStatsOf } from '../stats/broker-stats.ts';
import { isWriteable } from '../topic/topic-config.ts';
import type { TopicConfig } from '../topic/topic-config.ts';
import {
  RETRY_GROUP_TOPIC_PREFIX,
  TOPIC_MAX_LENGTH,
  isRetryTopic,
  validateTopic,
} from '../topic/topic-validator.ts';
import { isHalfMessage, toHalfMessageInput } from '../transaction/transactional-message-util.ts';
import { applyDelayTransform, TIMER_PROPERTIES } from '../message-transform.ts';
import type { BrokerContext } from './broker-context.ts';
import { guarded, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

const FAQ_NO_TOPIC = 'See https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';
const EMPTY = Buffer.alloc(0);

/** PutMessageStatus → reply code and remark (Java handlePutMessageResult); codes 0/10/11/12 carry the send header. */
export function putStatusToReply(result: PutMessageResult, diskWarnRatio: number): { code: number; remark: string | undefined } {
  switch (result.status) {
    case PutMessageStatus.PUT_OK:
      return { code: ResponseCode.SUCCESS, remark: undefined };
    case PutMessageStatus.FLUSH_DISK_TIMEOUT:
      return { code: ResponseCode.FLUSH_DISK_TIMEOUT, remark: 'the message is stored, but flushing it to disk timed out' };
    case PutMessageStatus.FLUSH_SLAVE_TIMEOUT:
      return { code: ResponseCode.FLUSH_SLAVE_TIMEOUT, remark: 'the message is stored, but the slave did not confirm it in time' };
    case PutMessageStatus.SLAVE_NOT_AVAILABLE:
      return { code: ResponseCode.SLAVE_NOT_AVAILABLE, remark: 'the message is stored, but no slave is available' };
    case PutMessageStatus.CREATE_MAPPED_FILE_FAILED:
      return { code: ResponseCode.SYSTEM_ERROR, remark: `create mapped file failed, server is busy or broken: ${result.remark ?? ''}` };
    case PutMessageStatus.MESSAGE_ILLEGAL:
    case PutMessageStatus.PROPERTIES_SIZE_EXCEEDED:
      return {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark: `the message is illegal, maybe msg body or properties length not matched: ${result.remark ?? result.status}`,
      };
    case PutMessageStatus.DISK_FULL:
      return {
        code: ResponseCode.SERVICE_NOT_AVAILABLE,
        remark: `service not available now: the broker's disk is full (usage above ${diskWarnRatio}%), messages cannot be stored`,
      };
    case PutMessageStatus.SERVICE_NOT_AVAILABLE:
      return {
        code: ResponseCode.SERVICE_NOT_AVAILABLE,
        remark: `service not available now: ${result.remark ?? 'the message store is not running or is shutting down'}`,
      };
    case PutMessageStatus.OS_PAGE_CACHE_BUSY:
      return { code: ResponseCode.SYSTEM_BUSY, remark: '[PC_SYNCHRONIZED]broker busy, start flow control for a while' };
    default:
      return { code: ResponseCode.SYSTEM_ERROR, remark: `${result.status}: ${result.remark ?? 'unknown store error'}` };
  }
}

function randomQueue(n: number): number {
  return n <= 0 ? 0 : Math.floor(Math.random() * n);
}

const channelHosts = new WeakMap<RemotingChannel, HostAddress>();

/** The peer address as a record host; IPv4-mapped IPv6 becomes IPv4 (§5.2). Parsed once per channel. */
function channelHost(channel: RemotingChannel): HostAddress {
  let host = channelHosts.get(channel);
  if (host === undefined) {
    try {
      host = parseHostPort(channel.remoteAddress);
    } catch {
      host = { address: '0.0.0.0', port: 0 };
    }
    channelHosts.set(channel, host);
  }
  return host;
}

// Canonical numbers as every client writes them; anything else (spaces, '+', out of range) takes the generic decoder.
const INT_TEXT = /^-?\d{1,9}$/;
const LONG_TEXT = /^-?\d{1,15}$/;

function intOrAbsent(v: string | undefined): number | undefined | null {
  if (v === undefined || v === '') return undefined;
  return INT_TEXT.test(v) ? Number(v) : null;
}

function boolOrAbsent(v: string | undefined): boolean | undefined | null {
  if (v === undefined || v === '') return undefined;
  return v === 'true' ? true : v === 'false' ? false : null;
}

/**
 * SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE header as V1 fields: the same result as
 * sendHeaderV2ToV1(SendMessageRequestHeaderV2.decode(ext)) at a fraction of the cost (the spec-driven decoder walks
 * Object.entries of the spec and a regex per field on every send, ~1.5 µs). Headers with anything unusual — a missing
 * field, a non-canonical number — go to the generic decoder, which also produces its errors.
 */
export function decodeSendHeaderV2(ext: ExtFields | undefined): SendMessageRequestHeader {
  if (ext !== undefined) {
    const { a, b, c } = ext;
    const d = ext.d;
    const e = ext.e;
    const f = ext.f;
    const g = ext.g;
    const hh = ext.h;
    if (
      typeof a === 'string' &&
      typeof b === 'string' &&
      typeof c === 'string' &&
      d !== undefined &&
      INT_TEXT.test(d) &&
      e !== undefined &&
      INT_TEXT.test(e) &&
      f !== undefined &&
      INT_TEXT.test(f) &&
      g !== undefined &&
      LONG_TEXT.test(g) &&
      hh !== undefined &&
      INT_TEXT.test(hh)
    ) {
      const reconsumeTimes = intOrAbsent(ext.j);
      const unitMode = boolOrAbsent(ext.k);
      const maxReconsumeTimes = intOrAbsent(ext.l);
      const batch = boolOrAbsent(ext.m);
      const i = ext.i;
      const n = ext.n;
      if (
        reconsumeTimes !== null &&
        unitMode !== null &&
        maxReconsumeTimes !== null &&
        batch !== null &&
        (i === undefined || typeof i === 'string') &&
        (n === undefined || typeof n === 'string')
      ) {
        return {
          producerGroup: a,
          topic: b,
          defaultTopic: c,
          defaultTopicQueueNums: Number(d),
          queueId: Number(e),
          sysFlag: Number(f),
          bornTimestamp: Number(g),
          flag: Number(hh),
          properties: i,
          reconsumeTimes,
          unitMode,
          maxReconsumeTimes,
          batch,
          bname: n,
        };
      }
    }
  }
  return sendHeaderV2ToV1(SendMessageRequestHeaderV2.decode(ext));
}

interface SendTarget {
  topic: string;
  queueId: number;
  topicConfig: Readonly<TopicConfig>;
}

export class SendMessageProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    const h = guarded((req, ch) => this.processRequest(req, ch), this.#ctx.log);
    return [
      [RequestCode.SEND_MESSAGE, h],
      [RequestCode.SEND_MESSAGE_V2, h],
      [RequestCode.SEND_BATCH_MESSAGE, h],
    ];
  }

  async processRequest(req: RemotingCommand, channel: RemotingChannel): Promise<RemotingCommand> {
    const header =
      req.code === RequestCode.SEND_MESSAGE
        ? SendMessageRequestHeader.decode(req.extFields)
        : decodeSendHeaderV2(req.extFields);
    const batch = req.code === RequestCode.SEND_BATCH_MESSAGE || header.batch === true;
    const target = this.#msgCheck(header, channel);
    const body = req.body ?? EMPTY;
    const maxSize = this.#ctx.messageStoreConfig.maxMessageSize;
    if (body.length > maxSize) {
      throw reject(ResponseCode.MESSAGE_ILLEGAL, `the message body size ${body.length} bytes exceeds the limit of ${maxSize} bytes`);
    }
    const propsText = header.properties ?? '';
    if (Buffer.byteLength(propsText) > MAX_PROPERTIES_LENGTH) {
      throw reject(
        ResponseCode.MESSAGE_ILLEGAL,
        `the message properties size ${Buffer.byteLength(propsText)} bytes exceeds the limit of ${MAX_PROPERTIES_LENGTH} bytes`,
      );
    }
    if (!batch && transactionType(header.sysFlag) !== MessageSysFlag.TRANSACTION_PREPARED_TYPE) {
      // Fast path (the usual send): none of the properties the broker acts on (delay, timer, transaction, CLUSTER) is
      // set, so the client's properties string is stored as sent with CLUSTER appended: no decode and re-encode.
      const mask = scanPropertyKeys(propsText, PLAIN_SEND_WATCHED);
      if (mask === 1) return this.#sendOne(req, header, target, propsText, body, channel);
    }
    const props = decodeProperties(propsText);
    if (this.#checkTransaction(header.sysFlag, props) && batch) {
      throw reject(ResponseCode.MESSAGE_ILLEGAL, 'a batch message cannot be a transactional (half) message');
    }
    return batch ? this.#sendBatch(req, header, target, props, body, channel) : this.#sendOne(req, header, target, props, body, channel);
  }

  /** AbstractSendMessageProcessor.msgCheck plus topic auto-creation and the queue choice. */
  #msgCheck(h: SendMessageRequestHeader, channel: RemotingChannel): SendTarget {
    const bc = this.#ctx.brokerConfig;
    const tcm = this.#ctx.topicConfigManager;
    if (!isWriteable(bc.brokerPermission)) {
      throw reject(ResponseCode.NO_PERMISSION, `the broker[${bc.brokerIP1}] sending message is forbidden`);
    }
    const v = validateTopic(h.topic);
    if (!v.valid) throw reject(ResponseCode.INVALID_PARAMETER, v.remark);
    if (tcm.isNotAllowedSendTopic(h.topic)) {
      throw reject(ResponseCode.NO_PERMISSION, `Sending message to topic[${h.topic}] is forbidden.`);
    }
    let tc = tcm.selectTopicConfig(h.topic);
    if (tc === undefined) {
      const sysFlag = h.unitMode === true ? (isRetryTopic(h.topic) ? 0x3 : 0x1) : 0;
      tc = tcm.createTopicInSendMessageMethod(h.topic, h.defaultTopic, channel.remoteAddress, h.defaultTopicQueueNums, sysFlag);
      if (tc === undefined && isRetryTopic(h.topic)) tc = tcm.createTopicInSendMessageBackMethod(h.topic, 1, 6, sysFlag);
      if (tc === undefined) {
        throw reject(ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please! ${FAQ_NO_TOPIC}`);
      }
    }
    if (!isWriteable(tc.perm)) {
      throw reject(ResponseCode.NO_PERMISSION, `the topic[${h.topic}] sending message is forbidden (perm ${tc.perm})`);
    }
    const maxQueues = Math.max(tc.writeQueueNums, tc.readQueueNums);
    if (h.queueId >= maxQueues) {
      throw reject(
        ResponseCode.INVALID_PARAMETER,
        `request queueId[${h.queueId}] is illegal, topic ${h.topic} has ${tc.writeQueueNums} write / ${tc.readQueueNums} read queues, Producer: ${channel.remoteAddress}`,
      );
    }
    const queueId = h.queueId < 0 ? randomQueue(tc.writeQueueNums) : h.queueId;
    return { topic: h.topic, queueId, topicConfig: tc };
  }

  /** Whether the send is a transaction half message (§8.3); refused with 16 when rejectTransactionMessage is set. */
  #checkTransaction(sysFlag: number, props: Readonly<Record<string, string>>): boolean {
    if (!isHalfMessage(sysFlag, props)) return false;
    const bc = this.#ctx.brokerConfig;
    if (bc.rejectTransactionMessage) {
      throw reject(ResponseCode.NO_PERMISSION, `the broker[${bc.brokerIP1}] sending transaction message is forbidden`);
    }
    return true;
  }

  /** %RETRY%<group> sends: the group must exist; past maxReconsumeTimes the message goes to %DLQ%<group> (§8.2). */
  #retryOrDlq(req: RemotingCommand, h: SendMessageRequestHeader, target: SendTarget): SendTarget {
    if (!isRetryTopic(target.topic)) return target;
    const group = target.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
    const sgc = this.#ctx.subscriptionGroupManager.findSubscriptionGroupConfig(group);
    if (sgc === undefined) {
      throw reject(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group} ${FAQ_NO_TOPIC}`);
    }
    let maxReconsume = sgc.retryMaxTimes;
    if (req.version >= MQVersion.V3_4_9 && h.maxReconsumeTimes !== undefined) maxReconsume = h.maxReconsumeTimes;
    // Java's orderly rule: while the group holds queue locks, a retry send goes straight to the DLQ.
    const orderly = this.#ctx.rebalanceLockManager.isLockedByAny(group);
    if ((h.reconsumeTimes ?? 0) <= maxReconsume && !orderly) return target;
    const dlq = this.#ctx.topicConfigManager.createTopicOfDLQ(group);
    this.#ctx.log.info({ group, reconsumeTimes: h.reconsumeTimes, maxReconsume, orderly }, 'retry message sent to the DLQ');
    return { topic: dlq.topicName, queueId: randomQueue(dlq.writeQueueNums), topicConfig: dlq };
  }

  #stamp(props: Record<string, string>, tc: Readonly<TopicConfig>, sysFlag: number): number {
    props[MessageConst.CLUSTER] = this.#ctx.brokerConfig.brokerClusterName;
    if (props[MessageConst.UNIQ_KEY] === undefined) props[MessageConst.UNIQ_KEY] = createUniqKey();
    return withTopicSysFlag(tc, sysFlag);
  }

  async #sendOne(
    req: RemotingCommand,
    h: SendMessageRequestHeader,
    checked: SendTarget,
    /** Decoded properties, or (fast path) the client's properties string: UNIQ_KEY set, nothing the broker acts on. */
    sent: Record<string, string> | string,
    body: Buffer,
    channel: RemotingChannel,
  ): Promise<RemotingCommand> {
    const target = this.#retryOrDlq(req, h, checked);
    let sysFlag: number;
    let half = false;
    let stored: { topic: string; queueId: number } = target;
    let properties: string;
    let uniqKey: string | undefined;
    if (typeof sent === 'string') {
      sysFlag = withTopicSysFlag(target.topicConfig, h.sysFlag);
      properties = `${sent}${MessageConst.CLUSTER}${NAME_VALUE_SEPARATOR}${this.#ctx.brokerConfig.brokerClusterName}${PROPERTY_SEPARATOR}`;
      uniqKey = propertyValue(sent, MessageConst.UNIQ_KEY);
    } else {
      sysFlag = this.#stamp(sent, target.topicConfig, h.sysFlag);
      half = isHalfMessage(h.sysFlag, sent);
      if (!half) stored = applyDelayTransform(this.#ctx, target, sent, sysFlag); // §8.1 delay level / timer
      properties = encodeProperties(sent);
      uniqKey = sent[MessageConst.UNIQ_KEY];
    }
    const input: PutMessageInput = {
      topic: stored.topic,
      queueId: stored.queueId,
      flag: h.flag,
      body,
      properties,
      sysFlag,
      bornTimestamp: h.bornTimestamp,
      bornHost: channelHost(channel),
      storeHost: this.#ctx.storeHost(),
      reconsumeTimes: h.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
    };
    const result = await this.#ctx.store.putMessage(half ? toHalfMessageInput(input) : input);
    brokerStatsOf(this.#ctx).recordPutResult(input.topic, 1, result.status);
    return this.#reply(req, result, target.queueId, uniqKey);
  }

  async #sendBatch(
    req: RemotingCommand,
    h: SendMessageRequestHeader,
    target: SendTarget,
    batchProps: Record<string, string>,
    body: Buffer,
    channel: RemotingChannel,
  ): Promise<RemotingCommand> {
    if (Buffer.byteLength(target.topic) > TOPIC_MAX_LENGTH) {
      throw reject(ResponseCode.MESSAGE_ILLEGAL, `message topic length too long: ${target.topic.length} > ${TOPIC_MAX_LENGTH}`);
    }
    if (isRetryTopic(target.topic)) throw reject(ResponseCode.MESSAGE_ILLEGAL, 'batch request does not support retry group');
    if (Number(batchProps[MessageConst.DELAY] ?? '0') > 0) {
      throw reject(ResponseCode.MESSAGE_ILLEGAL, 'a batch message cannot have a delay level');
    }
    let entries;
    try {
      entries = decodeBatchBody(body);
    } catch (e) {
      throw reject(ResponseCode.MESSAGE_ILLEGAL, `the batch body is malformed: ${errorMessage(e)}`);
    }
    if (entries.length === 0) throw reject(ResponseCode.MESSAGE_ILLEGAL, 'the batch contains no message');
    const maxSize = this.#ctx.messageStoreConfig.maxMessageSize;
    const bornHost = channelHost(channel);
    const storeHost = this.#ctx.storeHost();
    const inputs: PutMessageInput[] = [];
    // Fast path (the usual batch): an entry's properties string is kept as sent and the batch-level pairs it lacks plus
    // CLUSTER are appended, when that means the same as decode → merge → stamp → encode: the entry's string is well
    // formed, has a UNIQ_KEY, no DELAY or CLUSTER, and any batch-level key it has carries the batch's value (clients put
    // WAIT on both).
    const batchKeys = Object.keys(batchProps).filter((k) => k !== MessageConst.CLUSTER);
    const fastOk = batchKeys.length <= 28 && !batchKeys.includes(MessageConst.UNIQ_KEY) && !batchKeys.includes(MessageConst.DELAY);
    const watched = [MessageConst.UNIQ_KEY, MessageConst.DELAY, MessageConst.CLUSTER, ...batchKeys];
    const watchedValues = [undefined, undefined, undefined, ...batchKeys.map((k) => batchProps[k])];
    const suffixes = new Map<number, string | undefined>();
    const suffixFor = (mask: number): string | undefined => {
      let suffix = suffixes.get(mask);
      if (suffix === undefined && !suffixes.has(mask)) {
        const missing = batchKeys.filter((_, i) => (mask & (1 << (i + 3))) === 0);
        suffix = encodePropertiesSafe(missing, batchProps, this.#ctx.brokerConfig.brokerClusterName);
        suffixes.set(mask, suffix);
      }
      return suffix;
    };
    const fastSysFlag = withTopicSysFlag(target.topicConfig, h.sysFlag);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e.body.length > maxSize) {
        throw reject(ResponseCode.MESSAGE_ILLEGAL, `batch message #${i}: body size ${e.body.length} bytes exceeds the limit of ${maxSize} bytes`);
      }
      let properties: string;
      let sysFlag: number;
      const mask = fastOk ? scanPropertyKeys(e.propertiesText, watched, watchedValues) : -1;
      const suffix = mask >= 0 && (mask & 0b111) === 0b001 ? suffixFor(mask) : undefined;
      if (suffix !== undefined) {
        properties = e.propertiesText + suffix;
        sysFlag = fastSysFlag;
      } else {
        const entryProps = decodeProperties(e.propertiesText);
        if (Number(entryProps[MessageConst.DELAY] ?? '0') > 0) {
          throw reject(ResponseCode.MESSAGE_ILLEGAL, `batch message #${i}: a batch message cannot have a delay level`);
        }
        for (const k in batchProps) entryProps[k] = batchProps[k];
        sysFlag = this.#stamp(entryProps, target.topicConfig, h.sysFlag);
        properties = encodeProperties(entryProps);
      }
      if (Buffer.byteLength(properties) > MAX_PROPERTIES_LENGTH) {
        throw reject(ResponseCode.MESSAGE_ILLEGAL, `batch message #${i}: properties exceed ${MAX_PROPERTIES_LENGTH} bytes`);
      }
      inputs.push({
        topic: target.topic,
        queueId: target.queueId,
        flag: e.flag,
        body: e.body,
        properties,
        sysFlag,
        bornTimestamp: h.bornTimestamp,
        bornHost,
        storeHost,
        reconsumeTimes: h.reconsumeTimes ?? 0,
        preparedTransactionOffset: 0,
      });
    }
    const result = await this.#ctx.store.putMessages(inputs);
    brokerStatsOf(this.#ctx).recordPutResult(target.topic, inputs.length, result.status);
    return this.#reply(req, result, target.queueId, undefined);
  }

  #reply(req: RemotingCommand, result: PutMessageResult, queueId: number, uniqKey: string | undefined): RemotingCommand {
    const { code, remark } = putStatusToReply(result, this.#ctx.messageStoreConfig.diskSpaceWarningLevelRatio);
    const stored =
      code === ResponseCode.SUCCESS ||
      code === ResponseCode.FLUSH_DISK_TIMEOUT ||
      code === ResponseCode.FLUSH_SLAVE_TIMEOUT ||
      code === ResponseCode.SLAVE_NOT_AVAILABLE;
    if (!stored) {
      this.#ctx.log.warn({ status: result.status, remark: result.remark }, 'message not stored');
      return RemotingCommand.responseTo(req, code, remark);
    }
    const bc = this.#ctx.brokerConfig;
    // SendMessageResponseHeader fields, built directly (its generic encode walks Object.entries on every send) and in
    // the header's sorted key order, so the JSON encoder need not sort them
    const ext: ExtFields = {
      MSG_REGION: bc.regionId,
      TRACE_ON: String(bc.traceOn),
      msgId: result.msgId,
      queueId: String(queueId),
      queueOffset: String(result.queueOffset),
    };
    if (uniqKey !== undefined) ext.transactionId = uniqKey;
    return RemotingCommand.responseTo(req, code, remark, ext);
  }
}

/** Keys a plain send must not carry to take the fast path (bit 0, UNIQ_KEY, must be set): the broker acts on the others. */
const PLAIN_SEND_WATCHED: readonly string[] = [
  MessageConst.UNIQ_KEY,
  MessageConst.CLUSTER,
  MessageConst.DELAY,
  MessageConst.TRAN_MSG,
  ...TIMER_PROPERTIES,
];

/** The request's sysFlag plus what the topic adds (MULTI_TAGS_FLAG for a MULTI_TAG topic). */
function withTopicSysFlag(tc: Readonly<TopicConfig>, sysFlag: number): number {
  return tc.topicFilterType === 'MULTI_TAG' ? sysFlag | MessageSysFlag.MULTI_TAGS_FLAG : sysFlag;
}

/** The batch-level pairs (without CLUSTER) then CLUSTER, encoded; undefined when a value cannot be encoded (slow path). */
function encodePropertiesSafe(keys: readonly string[], batchProps: Readonly<Record<string, string>>, cluster: string): string | undefined {
  const p = Object.create(null) as Record<string, string>;
  for (const k of keys) p[k] = batchProps[k];
  p[MessageConst.CLUSTER] = cluster;
  try {
    return encodeProperties(p);
  } catch {
    return undefined;
  }
}
