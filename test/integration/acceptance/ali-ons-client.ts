// Typed access to the npm client ali-ons 3.12.0 (plain JS) for the acceptance suite, plus the spies the suite needs:
// every raw pull result (before ali-ons' own tag filter, real-clients.md §1.3 step 5) and every
// CONSUMER_SEND_MSG_BACK outcome (so a retry through the client's local SEND fallback can't pass for a broker retry).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

export interface OnsMessage {
  topic: string;
  tags: string | null | undefined;
  keys: string[] | string | null | undefined;
  body: Buffer;
  msgId: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  reconsumeTimes: number;
  bornTimestamp: number;
  storeTimestamp: number;
  properties: Record<string, string>;
}
/** A message to send; ali-ons' setters turn these into the KEYS (space-joined), DELAY and __SHARDING_KEY properties. */
export interface OnsOutgoing {
  keys: string | string[] | null | undefined;
  delayTimeLevel: number;
  shardingKey: string | undefined;
  /** __STARTDELIVERTIME (absolute epoch ms; Aliyun-only, honoured by our broker). */
  setStartDeliverTime(ms: number): void;
}
export interface OnsSendResult {
  sendStatus: string;
  msgId: string;
  messageQueue: { queueId: number };
  queueOffset: number;
}
export interface OnsClientBase {
  ready(): Promise<void>;
  close(): Promise<void>;
  on(event: 'error', listener: (e: unknown) => void): void;
}
export interface OnsProducer extends OnsClientBase {
  send(msg: OnsOutgoing): Promise<OnsSendResult>;
}
export interface OnsPullResult {
  pullStatus: number | string;
  msgFoundList?: OnsMessage[];
}
type SendBack = (addr: string, msg: OnsMessage, group: string, ...rest: unknown[]) => Promise<unknown>;
interface OnsMQClient {
  consumerSendMessageBack: SendBack;
}
export interface OnsConsumer extends OnsClientBase {
  subscribe(topic: string, expr: string, handler: (msg: OnsMessage) => Promise<void>): void;
  pullKernelImpl(...args: unknown[]): Promise<OnsPullResult>;
  readonly _mqClient: OnsMQClient;
}
export interface AliOns {
  Producer: (new (options: object) => OnsProducer) & { defaultProducer?: OnsProducer | null };
  Consumer: new (options: object) => OnsConsumer;
  Message: new (topic: string, tags: string, body: string | Buffer) => OnsOutgoing;
}

export const ons = createRequire(import.meta.url)('ali-ons') as AliOns;

/** What ali-ons warns and errors about, kept for failure messages instead of printed. */
export const onsLog: string[] = [];
const logger = {
  info(): void {},
  debug(): void {},
  warn: (...a: unknown[]): void => void onsLog.push(`WARN ${a.map(String).join(' ')}`),
  error: (...a: unknown[]): void => void onsLog.push(`ERROR ${a.map(String).join(' ')}`),
};

export function onsLogTail(n = 20): string {
  return onsLog.slice(-n).join('\n');
}

/**
 * Options every ali-ons client of this process gets. A producer and the consumers share one MQClient per instanceName
 * (real-clients.md §1.1), built from whichever was created first, so these knobs must be the same everywhere.
 */
export function onsOptions(namesrvAddr: string): object {
  return {
    nameSrv: [namesrvAddr],
    // Asserted by ali-ons even with nameSrv; never called (no address server).
    httpclient: {
      request(): Promise<never> {
        return Promise.reject(new Error('no address server in tests'));
      },
    },
    logger,
    // Short schedules so routes, heartbeats and rebalances are quick and the client's sleep loops end soon after close().
    pollNameServerInteval: 1000,
    heartbeatBrokerInterval: 1000,
    rebalanceInterval: 1000,
    persistConsumerOffsetInterval: 1000,
  };
}

export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}\nali-ons log:\n${onsLogTail()}`);
    await sleep(50);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function newMessage(topic: string, tag: string, body: string, opts: { keys?: string[]; delayLevel?: number; shardingKey?: string } = {}): OnsOutgoing {
  const msg = new ons.Message(topic, tag, body);
  if (opts.keys !== undefined) msg.keys = opts.keys;
  if (opts.delayLevel !== undefined) msg.delayTimeLevel = opts.delayLevel;
  if (opts.shardingKey !== undefined) msg.shardingKey = opts.shardingKey;
  return msg;
}

export interface SendBackCall {
  msgId: string;
  ok: boolean;
  error?: string;
}

/** A message as a raw pull returned it (a copy: ali-ons later rewrites a retry message's topic in place). */
export interface PulledRecord {
  topic: string;
  tags: string;
  keys: string;
  queueId: number;
  queueOffset: number;
  reconsumeTimes: number;
  msgId: string;
  properties: Record<string, string>;
  /** Local clock when the pull returned it. */
  at: number;
}

export interface TrackedConsumer {
  consumer: OnsConsumer;
  /** What the handler saw, in call order (retry-topic messages appear with their origin topic, as ali-ons hands them). */
  received: OnsMessage[];
  /** Every message of every raw pull result, before ali-ons filters by tag. */
  pulled: PulledRecord[];
  /** Local clock at each handler call, parallel to `received`. */
  receivedAt: number[];
  /** CONSUMER_SEND_MSG_BACK calls of this group and whether the broker accepted them. */
  sendBacks: SendBackCall[];
  close(): Promise<void>;
}

export interface ConsumerOptions {
  isBroadcast?: boolean;
  /** An MQClient of its own (ali-ons shares one per instanceName; clustering consumers otherwise use the pid). */
  instanceName?: string;
  consumeFromWhere?: 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET';
  /** Throw (or not) for a message: return true to make the handler fail. */
  fail?: (msg: OnsMessage) => boolean;
}

/** Everything this module opened, closed by closeAll(). */
const open = new Set<OnsClientBase>();

export async function startProducer(namesrvAddr: string, group: string): Promise<OnsProducer> {
  const producer = new ons.Producer({ ...onsOptions(namesrvAddr), producerGroup: group });
  producer.on('error', (e) => onsLog.push(`producer error ${String(e)}`));
  open.add(producer);
  await producer.ready();
  return producer;
}

export async function startConsumer(namesrvAddr: string, group: string, topic: string, expr: string, o: ConsumerOptions = {}): Promise<TrackedConsumer> {
  const consumer = new ons.Consumer({
    ...onsOptions(namesrvAddr),
    consumerGroup: group,
    // The broker holds a pull at most this long; a short hold lets close() return quickly.
    brokerSuspendMaxTimeMillis: 2000,
    ...(o.isBroadcast === true ? { isBroadcast: true } : {}),
    ...(o.instanceName !== undefined ? { instanceName: o.instanceName } : {}),
    ...(o.consumeFromWhere !== undefined ? { consumeFromWhere: o.consumeFromWhere } : {}),
  });
  consumer.on('error', (e) => onsLog.push(`consumer ${group} error ${String(e)}`));
  open.add(consumer);
  const t: TrackedConsumer = {
    consumer,
    received: [],
    pulled: [],
    receivedAt: [],
    sendBacks: [],
    async close() {
      open.delete(consumer);
      await consumer.close();
    },
  };
  const pull = consumer.pullKernelImpl.bind(consumer);
  consumer.pullKernelImpl = async (...args: unknown[]) => {
    const r = await pull(...args);
    const at = Date.now();
    for (const m of r.msgFoundList ?? []) {
      t.pulled.push({
        topic: m.topic,
        tags: String(m.tags),
        keys: String(m.keys),
        queueId: m.queueId,
        queueOffset: m.queueOffset,
        reconsumeTimes: m.reconsumeTimes,
        msgId: m.msgId,
        properties: { ...m.properties },
        at,
      });
    }
    return r;
  };
  const mq = consumer._mqClient;
  const sendBack = mq.consumerSendMessageBack.bind(mq);
  mq.consumerSendMessageBack = async (addr, msg, g, ...rest) => {
    try {
      const r = await sendBack(addr, msg, g, ...rest);
      if (g === group) t.sendBacks.push({ msgId: msg.msgId, ok: true });
      return r;
    } catch (e) {
      if (g === group) t.sendBacks.push({ msgId: msg.msgId, ok: false, error: String(e) });
      throw e;
    }
  };
  consumer.subscribe(topic, expr, async (msg) => {
    t.received.push(msg);
    t.receivedAt.push(Date.now());
    if (o.fail?.(msg) === true) throw new Error(`acceptance: handler fails ${msg.msgId} on purpose`);
  });
  await consumer.ready();
  return t;
}

/** Closes every client still open, then ali-ons' hidden CLIENT_INNER_PRODUCER, which would keep the process alive. */
export async function closeAll(): Promise<void> {
  for (const c of [...open].reverse()) {
    open.delete(c);
    await c.close().catch((e: unknown) => void onsLog.push(`close error ${String(e)}`));
  }
  await ons.Producer.defaultProducer?.close().catch(() => undefined);
  ons.Producer.defaultProducer = null;
}

/** The KEYS property as one string. */
export function keyOf(m: OnsMessage): string {
  return Array.isArray(m.keys) ? m.keys.join(' ') : String(m.keys);
}
