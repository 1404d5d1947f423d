// A NameServer + Broker in this process on 127.0.0.1, ephemeral ports, a fresh temp store; plus raw-protocol helpers
// (send, pull, heartbeat) over our RemotingClient. Shared by the broker processor, controller and integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerController } from '../../src/broker/broker-controller.ts';
import type { BrokerControllerOptions } from '../../src/broker/broker-controller.ts';
import type { BrokerConfig } from '../../src/broker/config/broker-config.ts';
import { newTopicConfig } from '../../src/broker/topic/topic-config.ts';
import type { TopicConfig } from '../../src/broker/topic/topic-config.ts';
import { javaStringHashCode } from '../../src/common/java-hash.ts';
import { encodeProperties } from '../../src/common/message/message-properties.ts';
import { decodeRecords } from '../../src/common/message/message-record.ts';
import type { DecodedMessage } from '../../src/common/message/message-record.ts';
import { NamesrvController } from '../../src/namesrv/namesrv-controller.ts';
import {
  PullMessageRequestHeader,
  SendMessageRequestHeaderV2,
} from '../../src/remoting/protocol/headers/broker-headers.ts';
import type { PullMessageRequestHeader as PullHeader } from '../../src/remoting/protocol/headers/broker-headers.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { RemotingClient } from '../../src/remoting/transport/remoting-client.ts';
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';

let seq = 0;
/** A topic/group name unique within this process run (valid under the topic rules). */
export function uniq(prefix: string): string {
  seq++;
  return `${prefix}_${process.pid}_${seq}`;
}

/** Small files so a test store stays tiny on disk. */
export function smallStoreConfig(root: string): Partial<MessageStoreConfig> {
  return {
    storePathRootDir: root,
    mappedFileSizeCommitLog: 16 * 1024 * 1024,
    mappedFileSizeConsumeQueue: 20 * 4096,
    maxHashSlotNum: 4096,
    maxIndexNum: 16384,
  };
}

export interface BrokerHarnessOptions {
  /** Start a NameServer too (default true). */
  namesrv?: boolean;
  brokerConfig?: Partial<BrokerConfig>;
  messageStoreConfig?: Partial<MessageStoreConfig>;
  /** Disk usage the store sees (default 10 %). */
  diskUsage?: () => number;
  /** Replaces the commit log's fdatasync (stall it to provoke FLUSH_DISK_TIMEOUT). */
  fdatasync?: (fd: number) => Promise<void>;
  vipListenPort?: BrokerControllerOptions['vipListenPort'];
}

/**
 * A broker for tests: 127.0.0.1 only, small store files under `<dir>/store`, no NameServer unless `brokerConfig` names
 * one, no VIP port unless asked, a fixed 10 % disk usage. Every broker harness builds its broker here.
 */
export function localTestBroker(dir: string, port: number, o: Partial<BrokerControllerOptions> = {}): BrokerController {
  return new BrokerController({
    ...o,
    brokerConfig: { brokerIP1: '127.0.0.1', brokerIP2: '127.0.0.1', listenPort: port, namesrvAddr: '', ...o.brokerConfig },
    messageStoreConfig: { ...smallStoreConfig(join(dir, 'store')), ...o.messageStoreConfig },
    bindAddress: '127.0.0.1',
    vipListenPort: o.vipListenPort ?? false,
    storeOptions: { diskUsage: () => 10, ...o.storeOptions },
  });
}

export class BrokerHarness {
  readonly dir: string;
  readonly options: BrokerHarnessOptions;
  namesrv: NamesrvController | undefined;
  broker!: BrokerController;
  readonly client = new RemotingClient();

  private constructor(dir: string, options: BrokerHarnessOptions) {
    this.dir = dir;
    this.options = options;
  }

  static async start(options: BrokerHarnessOptions = {}): Promise<BrokerHarness> {
    const h = new BrokerHarness(mkdtempSync(join(tmpdir(), 'rmq-ts-broker-')), options);
    try {
      if (options.namesrv !== false) {
        h.namesrv = new NamesrvController({
          config: {
            listenPort: 0,
            bindAddress: '127.0.0.1',
            kvConfigPath: join(h.dir, 'namesrv', 'kvConfig.json'),
            configStorePath: join(h.dir, 'namesrv', 'namesrv.properties'),
          },
        });
        await h.namesrv.start();
      }
      await h.startBroker();
    } catch (e) {
      await h.close();
      throw e;
    }
    return h;
  }

  get namesrvAddr(): string {
    return this.namesrv === undefined ? '' : `127.0.0.1:${this.namesrv.port}`;
  }

  get brokerAddr(): string {
    return this.broker.brokerAddr();
  }

  /** Starts a (new) broker on the same store directory; `port` pins the main port (e.g. the previous broker's). */
  async startBroker(port = 0): Promise<BrokerController> {
    const o = this.options;
    this.broker = localTestBroker(this.dir, port, {
      brokerConfig: { namesrvAddr: this.namesrvAddr, brokerName: 'broker-t', brokerClusterName: 'ClusterT', ...o.brokerConfig },
      messageStoreConfig: o.messageStoreConfig,
      vipListenPort: o.vipListenPort ?? 0,
      storeOptions: { diskUsage: o.diskUsage ?? (() => 10), fdatasync: o.fdatasync },
    });
    await this.broker.start();
    return this.broker;
  }

  /** Clean shutdown, then a new broker on the same store and the same main port (clients keep their routes). */
  async restartBroker(): Promise<BrokerController> {
    const port = this.broker.port;
    await this.broker.shutdown();
    return this.startBroker(port);
  }

  /** Dispatches everything appended so far to consume queues and the index (no waiting on the reput timer). */
  dispatch(): void {
    this.broker.store.dispatchNow();
  }

  createTopic(topic: string, init: Partial<Omit<TopicConfig, 'topicName'>> = {}): void {
    this.broker.topicConfigManager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: 4, writeQueueNums: 4, ...init }));
  }

  invoke(code: number, extFields?: ExtFields | Record<string, unknown>, body?: Buffer, addr = this.brokerAddr): Promise<RemotingCommand> {
    const ext: ExtFields = {};
    for (const [k, v] of Object.entries(extFields ?? {})) if (v !== undefined && v !== null) ext[k] = String(v);
    return this.client.invoke(addr, RemotingCommand.request(code, ext, body), 10_000);
  }

  send(topic: string, body: string | Buffer, opts: { tags?: string; keys?: string; queueId?: number; props?: Record<string, string>; code?: number } = {}): Promise<RemotingCommand> {
    const props: Record<string, string> = { ...opts.props };
    if (opts.tags !== undefined) props.TAGS = opts.tags;
    if (opts.keys !== undefined) props.KEYS = opts.keys;
    const ext = SendMessageRequestHeaderV2.encode({
      a: 'PG_test',
      b: topic,
      c: 'TBW102',
      d: 4,
      e: opts.queueId ?? 0,
      f: 0,
      g: Date.now(),
      h: 0,
      i: encodeProperties(props),
      j: 0,
      k: false,
    });
    return this.client.invoke(
      this.brokerAddr,
      RemotingCommand.request(opts.code ?? RequestCode.SEND_MESSAGE_V2, ext, typeof body === 'string' ? Buffer.from(body) : body),
      10_000,
    );
  }

  pull(fields: Partial<PullHeader> & { topic: string; consumerGroup: string }, timeoutMs = 10_000): Promise<RemotingCommand> {
    const h: PullHeader = {
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 32,
      sysFlag: 4, // subscription from the header
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: 0,
      ...fields,
    };
    return this.client.invoke(this.brokerAddr, RemotingCommand.request(RequestCode.PULL_MESSAGE, PullMessageRequestHeader.encode(h)), timeoutMs);
  }

  heartbeat(clientID: string, consumer?: { group: string; topic: string; subString?: string }, producerGroup?: string): Promise<RemotingCommand> {
    const tags = consumer?.subString === undefined || consumer.subString === '*' ? [] : consumer.subString.split('||').map((s) => s.trim());
    const body = {
      clientID,
      producerDataSet: producerGroup === undefined ? [] : [{ groupName: producerGroup }],
      consumerDataSet:
        consumer === undefined
          ? []
          : [
              {
                groupName: consumer.group,
                consumeType: 'CONSUME_PASSIVELY',
                messageModel: 'CLUSTERING',
                consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
                unitMode: false,
                subscriptionDataSet: [
                  {
                    topic: consumer.topic,
                    subString: consumer.subString ?? '*',
                    tagsSet: tags,
                    codeSet: tags.map(javaStringHashCode),
                    subVersion: Date.now(),
                    classFilterMode: false,
                  },
                ],
              },
            ],
    };
    return this.invoke(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body)));
  }

  async close(): Promise<void> {
    await this.client.shutdown();
    await this.broker?.shutdown();
    await this.namesrv?.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Messages of a pull/query/view response body. */
export function decodeBody(res: RemotingCommand): DecodedMessage[] {
  return res.body === undefined || res.body.length === 0 ? [] : decodeRecords(res.body);
}
