// A broker (no NameServer) on 127.0.0.1 with a temp store and an injectable clock, plus raw-protocol helpers for
// transactional sends, END_TRANSACTION, and a fake producer that records CHECK_TRANSACTION_STATE requests. Shared by
// the transaction and lock tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerController } from '../../../src/broker/broker-controller.ts';
import type { BrokerConfig } from '../../../src/broker/config/broker-config.ts';
import { newTopicConfig } from '../../../src/broker/topic/topic-config.ts';
import { MessageConst, MessageSysFlag } from '../../../src/common/message/message-const.ts';
import { decodeOffsetMsgId } from '../../../src/common/message/message-id.ts';
import { encodeProperties } from '../../../src/common/message/message-properties.ts';
import { decodeRecord } from '../../../src/common/message/message-record.ts';
import type { DecodedMessage } from '../../../src/common/message/message-record.ts';
import {
  PullMessageRequestHeader,
  SendMessageRequestHeaderV2,
} from '../../../src/remoting/protocol/headers/broker-headers.ts';
import type { PullMessageRequestHeader as PullHeader } from '../../../src/remoting/protocol/headers/broker-headers.ts';
import {
  CheckTransactionStateRequestHeader,
  EndTransactionRequestHeader,
} from '../../../src/remoting/protocol/headers/transaction-headers.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RemotingClient } from '../../../src/remoting/transport/remoting-client.ts';
import type { MessageStoreConfig } from '../../../src/store/config/message-store-config.ts';
import { decodeBody, localTestBroker, uniq } from '../../integration/broker-harness.ts';

export { uniq };

/** A manual clock: `now` only moves when a test moves it. */
export class ManualClock {
  now = Date.now();
  advance(ms: number): void {
    this.now += ms;
  }
}

export interface TxBrokerOptions {
  brokerConfig?: Partial<BrokerConfig>;
  messageStoreConfig?: Partial<MessageStoreConfig>;
  /** Use a ManualClock for the broker (default true). */
  manualClock?: boolean;
}

/** What the broker answered to a half-message send, plus the END_TRANSACTION coordinates it implies. */
export interface HalfSent {
  code: number;
  remark: string | undefined;
  uniqKey: string;
  queueOffset: number;
  commitLogOffset: number;
  offsetMsgId: string;
}

/** A CHECK_TRANSACTION_STATE as the fake producer received it. */
export interface CheckReceived {
  header: CheckTransactionStateRequestHeader;
  message: DecodedMessage;
  oneway: boolean;
}

export class TxBroker {
  readonly dir: string;
  readonly options: TxBrokerOptions;
  readonly clock = new ManualClock();
  readonly client = new RemotingClient();
  broker!: BrokerController;

  private constructor(dir: string, options: TxBrokerOptions) {
    this.dir = dir;
    this.options = options;
  }

  static async start(options: TxBrokerOptions = {}): Promise<TxBroker> {
    const t = new TxBroker(mkdtempSync(join(tmpdir(), 'rmq-ts-tx-')), options);
    try {
      await t.startBroker();
    } catch (e) {
      await t.close();
      throw e;
    }
    return t;
  }

  get addr(): string {
    return this.broker.brokerAddr();
  }

  async startBroker(port = 0): Promise<BrokerController> {
    const o = this.options;
    this.broker = localTestBroker(this.dir, port, {
      brokerConfig: {
        brokerName: 'broker-tx',
        brokerClusterName: 'ClusterTx',
        // Checks are driven by the tests unless they ask for a real interval.
        transactionCheckInterval: 3_600_000,
        ...o.brokerConfig,
      },
      messageStoreConfig: o.messageStoreConfig,
      now: o.manualClock === false ? undefined : () => this.clock.now,
    });
    await this.broker.start();
    return this.broker;
  }

  /** Clean shutdown, then a new broker on the same store and port. */
  async restart(): Promise<BrokerController> {
    const port = this.broker.port;
    await this.broker.shutdown();
    return this.startBroker(port);
  }

  /** Everything appended so far is dispatched to the consume queues. */
  dispatch(): void {
    this.broker.store.dispatchNow();
  }

  createTopic(topic: string, queues = 4): void {
    this.broker.topicConfigManager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: queues, writeQueueNums: queues }));
  }

  invoke(code: number, ext: Record<string, string | number | boolean | undefined>, body?: Buffer, client = this.client): Promise<RemotingCommand> {
    const e: Record<string, string> = {};
    for (const [k, v] of Object.entries(ext)) if (v !== undefined) e[k] = String(v);
    return client.invoke(this.addr, RemotingCommand.request(code, e, body), 10_000);
  }

  /** A send with the transaction bits of a Java TransactionMQProducer (TRAN_MSG, PGROUP, sysFlag PREPARED). */
  async sendHalf(
    topic: string,
    body: string,
    opts: { group: string; queueId?: number; props?: Record<string, string>; bornTimestamp?: number; sysFlag?: number },
  ): Promise<HalfSent> {
    const props: Record<string, string> = { [MessageConst.TRAN_MSG]: 'true', [MessageConst.PGROUP]: opts.group, ...opts.props };
    const r = await this.invoke(
      RequestCode.SEND_MESSAGE_V2,
      SendMessageRequestHeaderV2.encode({
        a: opts.group,
        b: topic,
        c: 'TBW102',
        d: 4,
        e: opts.queueId ?? 1,
        f: opts.sysFlag ?? MessageSysFlag.TRANSACTION_PREPARED_TYPE,
        g: opts.bornTimestamp ?? this.clock.now,
        h: 0,
        i: encodeProperties(props),
        j: 0,
        k: false,
      }),
      Buffer.from(body),
    );
    const offsetMsgId = r.extFields?.msgId ?? '';
    return {
      code: r.code,
      remark: r.remark,
      uniqKey: r.extFields?.transactionId ?? '',
      queueOffset: Number(r.extFields?.queueOffset ?? -1),
      commitLogOffset: offsetMsgId === '' ? -1 : decodeOffsetMsgId(offsetMsgId).offset,
      offsetMsgId,
    };
  }

  /** END_TRANSACTION for a half message; oneway like Java unless `twoway` (then the reply is returned). */
  async end(
    half: Pick<HalfSent, 'queueOffset' | 'commitLogOffset' | 'uniqKey'>,
    group: string,
    commitOrRollback: number,
    opts: { fromCheck?: boolean; twoway?: boolean; client?: RemotingClient } = {},
  ): Promise<RemotingCommand | undefined> {
    const ext = EndTransactionRequestHeader.encode({
      producerGroup: group,
      tranStateTableOffset: half.queueOffset,
      commitLogOffset: half.commitLogOffset,
      commitOrRollback,
      fromTransactionCheck: opts.fromCheck ?? false,
      msgId: half.uniqKey,
      transactionId: half.uniqKey,
    });
    const client = opts.client ?? this.client;
    const req = RemotingCommand.request(RequestCode.END_TRANSACTION, ext);
    if (opts.twoway === true) return client.invoke(this.addr, req, 10_000);
    await client.invokeOneway(this.addr, req.markOneway());
    return undefined;
  }

  /** Registers `client` as a live producer of `group` (HEART_BEAT with a producer data set). */
  async registerProducer(group: string, client: RemotingClient, clientID: string): Promise<void> {
    const body = { clientID, producerDataSet: [{ groupName: group }], consumerDataSet: [] };
    const r = await this.invoke(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)), client);
    if (r.code !== ResponseCode.SUCCESS) throw new Error(`heartbeat failed: ${r.code} ${r.remark ?? ''}`);
  }

  pull(fields: Partial<PullHeader> & { topic: string; consumerGroup: string }, timeoutMs = 10_000): Promise<RemotingCommand> {
    const h: PullHeader = {
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: 4,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: 0,
      ...fields,
    };
    return this.client.invoke(this.addr, RemotingCommand.request(RequestCode.PULL_MESSAGE, PullMessageRequestHeader.encode(h)), timeoutMs);
  }

  /** Every message in every queue of `topic` (read from the store, after a dispatch). */
  messagesOf(topic: string): DecodedMessage[] {
    this.dispatch();
    const store = this.broker.store;
    const out: DecodedMessage[] = [];
    for (const q of store.queueIds(topic)) {
      const r = store.getMessage('tx-test', topic, q, store.getMinOffsetInQueue(topic, q), 1000, 1 << 30);
      for (const b of r.messages) out.push(decodeRecord(b));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.client.shutdown();
    await this.broker?.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A producer connection that records CHECK_TRANSACTION_STATE requests and can answer them. */
export class FakeProducer {
  readonly client = new RemotingClient();
  readonly checks: CheckReceived[] = [];
  readonly #waiters: Array<() => void> = [];
  onCheck: ((c: CheckReceived) => void) | undefined;

  constructor() {
    this.client.registerHandler(RequestCode.CHECK_TRANSACTION_STATE, (req) => {
      const c: CheckReceived = {
        header: CheckTransactionStateRequestHeader.decode(req.extFields),
        message: decodeRecord(req.body ?? Buffer.alloc(0)),
        oneway: req.isOneway,
      };
      this.checks.push(c);
      this.onCheck?.(c);
      for (const w of this.#waiters.splice(0)) w();
      return null;
    });
  }

  /** Resolves once `n` checks have arrived (rejects after `timeoutMs`). */
  async waitForChecks(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.checks.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${n} CHECK_TRANSACTION_STATE requests, got ${this.checks.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  shutdown(): Promise<void> {
    return this.client.shutdown();
  }
}

export { decodeBody };
