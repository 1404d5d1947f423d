// The producer (Java DefaultMQProducer): sync send with retries on another broker, oneway, batch, queue selectors,
// latency fault tolerance, and the TBW102 fallback for topics the NameServer does not know yet (PROTOCOL.md §2.2, §11).
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import { SendMessageResponseHeader } from '../../remoting/protocol/headers/broker-headers.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { ClientConfig } from '../client-config.ts';
import { DEFAULT_RETRY_RESPONSE_CODES, isTransportError, responseError } from '../client-errors.ts';
import type { ClientInstance } from '../instance/client-instance.ts';
import type { ProducerMember } from '../instance/client-instance.ts';
import { attachClientInstance, releaseClientInstance } from '../instance/client-registry.ts';
import { defaultTopicRouteFor, toPublishInfo } from '../instance/topic-route.ts';
import type { TopicPublishInfo } from '../instance/topic-route.ts';
import { SendStatus } from '../message.ts';
import type { Message, MessageQueue, SendResult } from '../message.ts';
import { DEFAULT_MAX_MESSAGE_SIZE, prepareBatch } from './batch.ts';
import { LatencyFaultTolerance } from './latency-fault-tolerance.ts';
import type { LatencyFaultToleranceOptions } from './latency-fault-tolerance.ts';
import { encodePropertiesChecked, prepareMessage } from './message-encoding.ts';
import type { MessageQueueSelector } from './queue-selectors.ts';

export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';
/** Topic whose route stands in for topics the broker will auto-create (TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC). */
export const AUTO_CREATE_TOPIC_KEY = 'TBW102';

export interface ProducerOptions extends ClientConfig {
  /** Producer group; default "DEFAULT_PRODUCER". */
  group?: string;
  /** Overall time budget of one send, retries included; default 3000 ms. */
  sendMsgTimeout?: number;
  /** Extra attempts of a sync send (each on another broker when possible); default 2. */
  retryTimesWhenSendFailed?: number;
  /** Also retry when the broker stored the message but reported a flush/slave problem; default false. */
  retryAnotherBrokerWhenNotStoreOK?: boolean;
  /** Broker reply codes that are retried; default Java's list (17, 14, 1, 2, 16, 204, 205, 1500). */
  retryResponseCodes?: readonly number[];
  /** Bodies of at least this many bytes are zlib-compressed; default 4096. */
  compressMsgBodyOverHowmuch?: number;
  /** zlib level; default 5. */
  compressLevel?: number;
  /** Largest body (and batch body); default 4 MiB. */
  maxMessageSize?: number;
  /** Template topic for auto-creation; default "TBW102". */
  createTopicKey?: string;
  /** Queues asked for when the broker auto-creates a topic; default 4. */
  defaultTopicQueueNums?: number;
  /** Skip brokers that failed or were slow; default true. */
  sendLatencyFaultEnable?: boolean;
  latencyFaultTolerance?: LatencyFaultToleranceOptions;
  /** Use this instance instead of the process-wide shared one (tests, custom wiring). Not shut down by the producer. */
  clientInstance?: ClientInstance;
}

export interface SendOptions {
  /** Send to exactly this queue (no retry). */
  queue?: MessageQueue;
  /** Choose the queue with this function (no retry), e.g. selectByHash for ordered messages. */
  selector?: MessageQueueSelector;
  /** Passed to the selector (e.g. the sharding key). */
  selectorArg?: unknown;
  /** Overrides sendMsgTimeout for this call. */
  timeoutMs?: number;
}

type State = 'created' | 'running' | 'stopped';

interface Payload {
  topic: string;
  body: Buffer;
  flag: number;
  sysFlag: number;
  properties: string;
  /** UNIQ_KEY(s) to report as msgId. */
  msgId: string;
  batch: boolean;
  /** What a queue selector sees (the first message of a batch). */
  message: Message;
}

export class Producer {
  readonly group: string;
  readonly #options: ProducerOptions;
  readonly #log: Logger;
  readonly #fault: LatencyFaultTolerance;
  readonly #retryCodes: readonly number[];
  readonly #topics = new Set<string>();
  #prepared: { maxMessageSize: number; compressOverBytes: number; compressLevel: number } | undefined;
  readonly #publishInfo = new Map<string, TopicPublishInfo>();
  #instance: ClientInstance | undefined;
  #ownsInstance = false;
  #state: State = 'created';
  #sendIndex = Math.floor(Math.random() * 0x7fffffff);

  constructor(options: ProducerOptions) {
    this.#options = options;
    this.group = options.group ?? DEFAULT_PRODUCER_GROUP;
    this.#log = createLogger('producer').child({ group: this.group });
    this.#fault = new LatencyFaultTolerance(options.latencyFaultTolerance);
    this.#retryCodes = options.retryResponseCodes ?? DEFAULT_RETRY_RESPONSE_CODES;
  }

  /** The shared runtime this producer uses (after start). */
  get clientInstance(): ClientInstance | undefined {
    return this.#instance;
  }

  async start(): Promise<void> {
    if (this.#state === 'running') return;
    if (this.#state === 'stopped') throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'producer was shut down');
    const member: ProducerMember = { group: this.group, topics: () => this.#topics };
    const check = this.transactionCheckHandler();
    if (check !== undefined) member.checkTransactionState = check;
    const { instance, owned } = await attachClientInstance(this.#options, (i) => i.registerProducer(member));
    this.#instance = instance;
    this.#ownsInstance = owned;
    this.#state = 'running';
    void instance.sendHeartbeatToAllBrokers();
  }

  async shutdown(): Promise<void> {
    if (this.#state !== 'running') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    const instance = this.#instance;
    if (!instance) return;
    await instance.unregisterProducer(this.group);
    if (this.#ownsInstance) await releaseClientInstance(instance);
  }

  /** Send one message and wait for the broker's reply. Retries on another broker unless a queue/selector is given. */
  async send(message: Message, options: SendOptions = {}): Promise<SendResult> {
    const instance = this.#running();
    const p = prepareMessage(message, this.#prepareOptions());
    const payload: Payload = {
      topic: p.topic,
      body: p.body,
      flag: p.flag,
      sysFlag: p.sysFlag,
      properties: encodePropertiesChecked(p.properties),
      msgId: p.uniqKey,
      batch: false,
      message,
    };
    return this.#sendPayload(instance, payload, options);
  }

  /** Send without waiting for a reply (no retry, no result). */
  async sendOneway(message: Message, options: Omit<SendOptions, 'timeoutMs'> = {}): Promise<void> {
    const instance = this.#running();
    const p = prepareMessage(message, this.#prepareOptions());
    const payload: Payload = { ...p, properties: encodePropertiesChecked(p.properties), msgId: p.uniqKey, batch: false, message };
    const info = await this.#findPublishInfo(instance, payload.topic);
    const mq = this.#pickQueue(info, payload, options, undefined);
    const addr = this.#brokerAddr(instance, mq);
    await instance.invokeOneway(addr, this.#request(payload, mq));
  }

  /** Send several messages of one topic in one SEND_BATCH_MESSAGE (at most maxMessageSize bytes; see splitBatch). */
  async sendBatch(messages: readonly Message[], options: SendOptions = {}): Promise<SendResult> {
    const instance = this.#running();
    const b = prepareBatch(messages, this.#options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE);
    const payload: Payload = {
      topic: b.topic,
      body: b.body,
      flag: 0,
      sysFlag: 0,
      properties: encodePropertiesChecked(b.properties),
      msgId: b.uniqKeys.join(','),
      batch: true,
      message: messages[0],
    };
    return this.#sendPayload(instance, payload, options);
  }

  /**
   * Hook for subclasses: send one message with extra system properties and sysFlag bits (TransactionProducer sends
   * half messages with TRAN_MSG/PGROUP and TRANSACTION_PREPARED_TYPE this way). Same retries as send().
   */
  protected async sendWithSystemProperties(
    message: Message,
    systemProperties: Readonly<Record<string, string>>,
    sysFlagBits: number,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const instance = this.#running();
    const p = prepareMessage(message, this.#prepareOptions());
    const properties = { ...p.properties, ...systemProperties };
    const payload: Payload = {
      ...p,
      sysFlag: p.sysFlag | sysFlagBits,
      properties: encodePropertiesChecked(properties),
      msgId: p.uniqKey,
      batch: false,
      message,
    };
    return this.#sendPayload(instance, payload, options);
  }

  /** Hook for subclasses: the CHECK_TRANSACTION_STATE handler registered with the client instance on start. */
  protected transactionCheckHandler(): ProducerMember['checkTransactionState'] {
    return undefined;
  }

  /** Writable queues of `topic` (fetching its route if needed). */
  async fetchPublishQueues(topic: string): Promise<MessageQueue[]> {
    const info = await this.#findPublishInfo(this.#running(), topic);
    return [...info.queues];
  }

  // ---- internals ----

  async #sendPayload(instance: ClientInstance, payload: Payload, options: SendOptions): Promise<SendResult> {
    const timeout = options.timeoutMs ?? this.#options.sendMsgTimeout ?? 3_000;
    const started = Date.now();
    const cached = this.#topics.has(payload.topic) ? this.#cachedPublishInfo(instance, payload.topic) : undefined;
    const info = cached !== undefined && cached.queues.length > 0 ? cached : await this.#findPublishInfo(instance, payload.topic);
    const fixed = options.queue !== undefined || options.selector !== undefined;
    const attempts = fixed ? 1 : 1 + (this.#options.retryTimesWhenSendFailed ?? 2);
    let lastBroker: string | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const left = timeout - (Date.now() - started);
      if (left <= 0) {
        throw new RocketMQError(ERROR_CODES.TIMEOUT, `send to topic "${payload.topic}" timed out after ${attempt} attempt(s)`, {
          retriable: true,
          cause: lastError,
        });
      }
      const mq = this.#pickQueue(info, payload, options, lastBroker);
      lastBroker = mq.brokerName;
      const begin = Date.now();
      try {
        const result = await this.#sendOnce(instance, payload, mq, left);
        this.#updateFault(mq.brokerName, Date.now() - begin, false);
        if (result.status !== SendStatus.SEND_OK && this.#options.retryAnotherBrokerWhenNotStoreOK === true && attempt + 1 < attempts) {
          continue;
        }
        return result;
      } catch (e) {
        lastError = e;
        const transport = isTransportError(e);
        const retriableReply = e instanceof RocketMQError && e.responseCode !== undefined && this.#retryCodes.includes(e.responseCode);
        this.#updateFault(mq.brokerName, Date.now() - begin, transport || retriableReply);
        if (!transport && !retriableReply) throw e;
        this.#log.warn({ topic: payload.topic, broker: mq.brokerName, attempt, err: errorMessage(e) }, 'send failed, retrying');
      }
    }
    if (lastError instanceof RocketMQError) throw lastError;
    throw new RocketMQError(ERROR_CODES.INTERNAL, `send to topic "${payload.topic}" failed`, { cause: lastError });
  }

  async #sendOnce(instance: ClientInstance, payload: Payload, mq: MessageQueue, timeoutMs: number): Promise<SendResult> {
    const addr = this.#brokerAddr(instance, mq);
    const res = await instance.invoke(addr, this.#request(payload, mq), timeoutMs);
    const status = sendStatusOf(res.code);
    if (status === undefined) throw responseError(`send to ${mq.brokerName} (${addr})`, res, this.#retryCodes);
    const h = SendMessageResponseHeader.decode(res.extFields);
    return {
      status,
      msgId: payload.msgId,
      offsetMsgId: h.msgId,
      messageQueue: { topic: mq.topic, brokerName: mq.brokerName, queueId: h.queueId },
      queueOffset: h.queueOffset,
      transactionId: h.transactionId,
      regionId: h.MSG_REGION ?? 'DefaultRegion',
      traceOn: h.TRACE_ON !== 'false',
    };
  }

  #request(payload: Payload, mq: MessageQueue): RemotingCommand {
    // SendMessageRequestHeaderV2 as extFields, built directly (every value a string, keys in sorted order).
    const ext: ExtFields = {
      a: this.group,
      b: payload.topic,
      c: this.#options.createTopicKey ?? AUTO_CREATE_TOPIC_KEY,
      d: String(this.#options.defaultTopicQueueNums ?? 4),
      e: String(mq.queueId),
      f: String(payload.sysFlag),
      g: String(Date.now()),
      h: String(payload.flag),
      i: payload.properties,
      j: '0',
      k: 'false',
      m: payload.batch ? 'true' : 'false',
      n: mq.brokerName,
    };
    const code = payload.batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
    return RemotingCommand.request(code, ext, payload.body);
  }

  /** Route of `topic` from the cache, the NameServer, or (for a topic not created yet) the TBW102 template. */
  async #findPublishInfo(instance: ClientInstance, topic: string): Promise<TopicPublishInfo> {
    this.#topics.add(topic);
    let info = this.#cachedPublishInfo(instance, topic);
    if (info && info.queues.length > 0) return info;
    await instance.updateTopicRoute(topic);
    info = this.#cachedPublishInfo(instance, topic);
    if (info && info.queues.length > 0) return info;
    const key = this.#options.createTopicKey ?? AUTO_CREATE_TOPIC_KEY;
    const template = await instance.fetchTopicRoute(key);
    if (template) {
      instance.setTopicRoute(topic, defaultTopicRouteFor(template, this.#options.defaultTopicQueueNums ?? 4));
      info = this.#cachedPublishInfo(instance, topic);
      if (info && info.queues.length > 0) return info;
    }
    throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `no route info for topic "${topic}" (and no writable "${key}" route for auto-creation)`, {
      responseCode: ResponseCode.TOPIC_NOT_EXIST,
    });
  }

  #cachedPublishInfo(instance: ClientInstance, topic: string): TopicPublishInfo | undefined {
    const route = instance.topicRoute(topic);
    if (!route) return undefined;
    const cached = this.#publishInfo.get(topic);
    if (cached && cached.route === route) return cached;
    const info = toPublishInfo(topic, route);
    this.#publishInfo.set(topic, info);
    return info;
  }

  #pickQueue(info: TopicPublishInfo, payload: Payload, options: SendOptions, lastBroker: string | undefined): MessageQueue {
    if (options.queue) return options.queue;
    if (options.selector) {
      const mq = options.selector(info.queues, payload.message, options.selectorArg);
      if (!mq || !info.queues.some((q) => q.brokerName === mq.brokerName && q.queueId === mq.queueId)) {
        throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'the queue selector returned a queue that is not a writable queue of the topic');
      }
      return mq;
    }
    return this.#selectQueue(info, lastBroker);
  }

  /** Round-robin, skipping the broker that just failed and (with fault tolerance) brokers being avoided. */
  #selectQueue(info: TopicPublishInfo, lastBroker: string | undefined): MessageQueue {
    const start = this.#nextIndex();
    const faultEnabled = this.#options.sendLatencyFaultEnable !== false;
    const others = lastBroker === undefined ? info.queues : info.queues.filter((q) => q.brokerName !== lastBroker);
    const candidates = others.length > 0 ? others : info.queues;
    const n = candidates.length;
    if (!faultEnabled) return candidates[start % n];
    for (let i = 0; i < n; i++) {
      const mq = candidates[(start + i) % n];
      if (this.#fault.isAvailable(mq.brokerName)) return mq;
    }
    // Every candidate broker is being avoided: take the one that recovers first.
    const best = this.#fault.leastBad(new Set(candidates.map((q) => q.brokerName)));
    for (let i = 0; i < n; i++) {
      const mq = candidates[(start + i) % n];
      if (mq.brokerName === best) return mq;
    }
    return candidates[start % n];
  }

  #nextIndex(): number {
    this.#sendIndex = (this.#sendIndex + 1) & 0x7fffffff;
    return this.#sendIndex;
  }

  #updateFault(brokerName: string, latencyMs: number, isolation: boolean): void {
    if (this.#options.sendLatencyFaultEnable === false) return;
    this.#fault.update(brokerName, latencyMs, isolation);
  }

  #brokerAddr(instance: ClientInstance, mq: MessageQueue): string {
    const addr = instance.findBrokerAddr(mq.brokerName);
    if (addr === undefined) {
      throw new RocketMQError(ERROR_CODES.CONNECTION, `no master address known for broker "${mq.brokerName}"`, { retriable: true });
    }
    return addr;
  }

  #prepareOptions(): { maxMessageSize: number; compressOverBytes: number; compressLevel: number } {
    this.#prepared ??= {
      maxMessageSize: this.#options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
      compressOverBytes: this.#options.compressMsgBodyOverHowmuch ?? 4096,
      compressLevel: this.#options.compressLevel ?? 5,
    };
    return this.#prepared;
  }

  #running(): ClientInstance {
    if (this.#state !== 'running' || !this.#instance) {
      throw new RocketMQError(ERROR_CODES.NOT_RUNNING, `producer "${this.group}" is ${this.#state === 'created' ? 'not started' : 'shut down'}`);
    }
    return this.#instance;
  }
}

function sendStatusOf(code: number): SendStatus | undefined {
  switch (code) {
    case ResponseCode.SUCCESS:
      return SendStatus.SEND_OK;
    case ResponseCode.FLUSH_DISK_TIMEOUT:
      return SendStatus.FLUSH_DISK_TIMEOUT;
    case ResponseCode.FLUSH_SLAVE_TIMEOUT:
      return SendStatus.FLUSH_SLAVE_TIMEOUT;
    case ResponseCode.SLAVE_NOT_AVAILABLE:
      return SendStatus.SLAVE_NOT_AVAILABLE;
    default:
      return undefined;
  }
}

