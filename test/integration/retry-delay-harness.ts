// A Broker (no NameServer) on 127.0.0.1 with a fake, hand-advanced clock shared by the broker, its store and its
// delay/timer services, plus raw send / pull / send-back helpers. Restart keeps the store directory and the clock.
// Used by the delay, timer and send-back tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { BrokerController } from '../../src/broker/broker-controller.ts';
import type { BrokerConfig } from '../../src/broker/config/broker-config.ts';
import { newTopicConfig } from '../../src/broker/topic/topic-config.ts';
import { encodeProperties } from '../../src/common/message/message-properties.ts';
import type { DecodedMessage } from '../../src/common/message/message-record.ts';
import { PullMessageRequestHeader, SendMessageRequestHeaderV2 } from '../../src/remoting/protocol/headers/broker-headers.ts';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { ResponseCode } from '../../src/remoting/protocol/response-code.ts';
import { RemotingClient } from '../../src/remoting/transport/remoting-client.ts';
import type { MessageStoreConfig } from '../../src/store/config/message-store-config.ts';
import { decodeBody, localTestBroker } from './broker-harness.ts';

export { uniq, decodeBody } from './broker-harness.ts';

export class FakeClock {
  t: number;
  constructor(start = Date.UTC(2024, 0, 1, 0, 0, 0)) {
    this.t = start;
  }
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface DelayHarnessOptions {
  brokerConfig?: Partial<BrokerConfig>;
  messageStoreConfig?: Partial<MessageStoreConfig>;
}

export class DelayHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'rmq-ts-delay-'));
  readonly clock = new FakeClock();
  readonly client = new RemotingClient();
  readonly options: DelayHarnessOptions;
  broker!: BrokerController;

  constructor(options: DelayHarnessOptions = {}) {
    this.options = options;
  }

  static async start(options: DelayHarnessOptions = {}): Promise<DelayHarness> {
    const h = new DelayHarness(options);
    try {
      await h.startBroker();
    } catch (e) {
      await h.close();
      throw e;
    }
    return h;
  }

  async startBroker(port = 0): Promise<BrokerController> {
    this.broker = localTestBroker(this.dir, port, {
      brokerConfig: { brokerName: 'broker-d', brokerClusterName: 'ClusterD', ...this.options.brokerConfig },
      messageStoreConfig: this.options.messageStoreConfig,
      now: this.clock.now,
    });
    await this.broker.start();
    return this.broker;
  }

  async restartBroker(): Promise<BrokerController> {
    const port = this.broker.port;
    await this.broker.shutdown();
    return this.startBroker(port);
  }

  get addr(): string {
    return this.broker.brokerAddr();
  }

  createTopic(topic: string, queues = 1): void {
    this.broker.topicConfigManager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: queues, writeQueueNums: queues }));
  }

  invoke(code: number, fields: Record<string, unknown> = {}, body?: Buffer): Promise<RemotingCommand> {
    const ext: ExtFields = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) ext[k] = String(v);
    return this.client.invoke(this.addr, RemotingCommand.request(code, ext, body), 10_000);
  }

  send(topic: string, body: string, props: Record<string, string> = {}, extra: Record<string, unknown> = {}): Promise<RemotingCommand> {
    const ext = SendMessageRequestHeaderV2.encode({
      a: 'PG_delay',
      b: topic,
      c: 'TBW102',
      d: 4,
      e: 0,
      f: 0,
      g: this.clock.now(),
      h: 7,
      i: encodeProperties(props),
      j: 0,
      k: false,
      ...extra,
    });
    return this.client.invoke(this.addr, RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, ext, Buffer.from(body)), 10_000);
  }

  async sendOk(topic: string, body: string, props: Record<string, string> = {}): Promise<RemotingCommand> {
    const r = await this.send(topic, body, props);
    assert.equal(r.code, ResponseCode.SUCCESS, `send to ${topic}: ${r.remark ?? ''}`);
    return r;
  }

  /** Every message currently in topic/queueId from offset 0 (dispatches first). */
  async pullAll(topic: string, queueId = 0, group = 'CID_delay_test'): Promise<DecodedMessage[]> {
    this.broker.store.dispatchNow();
    const out: DecodedMessage[] = [];
    let offset = 0;
    for (;;) {
      const h = PullMessageRequestHeader.encode({
        consumerGroup: group,
        topic,
        queueId,
        queueOffset: offset,
        maxMsgNums: 32,
        sysFlag: 4,
        commitOffset: 0,
        suspendTimeoutMillis: 0,
        subscription: '*',
        subVersion: 0,
      });
      const r = await this.client.invoke(this.addr, RemotingCommand.request(RequestCode.PULL_MESSAGE, h), 10_000);
      if (r.code !== ResponseCode.SUCCESS) return out;
      out.push(...decodeBody(r));
      offset = Number(r.extFields?.nextBeginOffset);
    }
  }

  /** Waits (real time, bounded) until `cond` holds, dispatching the store in between. */
  async waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.broker.store.dispatchNow();
      if (await cond()) return;
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    await this.client.shutdown();
    await this.broker?.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
