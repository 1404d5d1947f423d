// Builders shared by the NameServer tests: register requests as a broker sends them, a fake channel, temp dirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as crc32Node } from 'node:zlib';
import { RemotingCommand } from '../../src/remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../src/remoting/protocol/request-code.ts';
import { RegisterBrokerRequestHeader } from '../../src/remoting/protocol/headers/namesrv-headers.ts';
import { serializeRegisterBrokerBody } from '../../src/remoting/protocol/body/register-broker-body.ts';
import { newTopicConfig } from '../../src/remoting/protocol/body/topic-config.ts';
import type { TopicConfig } from '../../src/remoting/protocol/body/topic-config.ts';
import type { DataVersion } from '../../src/remoting/protocol/body/data-version.ts';
import type { RemotingChannel } from '../../src/remoting/transport/types.ts';

let seq = 0;
/** A name unique within this process run. */
export function uniq(prefix: string): string {
  seq++;
  return `${prefix}_${process.pid}_${seq}`;
}

export interface BrokerSpec {
  cluster: string;
  brokerName: string;
  brokerAddr: string;
  brokerId?: number;
  haServerAddr?: string;
  topics?: Record<string, Partial<Omit<TopicConfig, 'topicName'>>>;
  dataVersion?: DataVersion;
  heartbeatTimeoutMillis?: number;
  compressed?: boolean;
  version?: number;
}

export function registerRequest(b: BrokerSpec, opts: { crc?: 'good' | 'bad' | 'none' } = {}): RemotingCommand {
  const topicConfigTable: Record<string, TopicConfig> = {};
  for (const [name, init] of Object.entries(b.topics ?? {})) topicConfigTable[name] = newTopicConfig(name, init);
  const body = serializeRegisterBrokerBody(
    {
      topicConfigSerializeWrapper: { dataVersion: b.dataVersion ?? { stateVersion: 0, timestamp: 1000, counter: 1 }, topicConfigTable },
      filterServerList: [],
    },
    { compressed: b.compressed === true },
  );
  const header = RegisterBrokerRequestHeader.encode({
    brokerName: b.brokerName,
    brokerAddr: b.brokerAddr,
    clusterName: b.cluster,
    haServerAddr: b.haServerAddr ?? b.brokerAddr.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`),
    brokerId: b.brokerId ?? 0,
    heartbeatTimeoutMillis: b.heartbeatTimeoutMillis,
    enableActingMaster: false,
    compressed: b.compressed === true,
    bodyCrc32: 0,
  });
  const req = RemotingCommand.request(RequestCode.REGISTER_BROKER, header, body);
  if (b.version !== undefined) req.version = b.version;
  const crc = opts.crc ?? 'good';
  if (crc !== 'none') {
    // Java's UtilAll.crc32: CRC32 & 0x7FFFFFFF.
    req.extFields = { ...req.extFields, bodyCrc32: String(crc === 'good' ? bodyCrc(body) : (bodyCrc(body) ^ 1)) };
  }
  return req;
}

function bodyCrc(body: Buffer): number {
  // Independent of the code under test (which uses @node-rs/crc32): zlib.crc32 exists on Node >= 20.15.
  return crc32Node(body) & 0x7fffffff;
}

/** A RemotingChannel stand-in for calling handlers directly. */
export class FakeChannel implements RemotingChannel {
  static #n = 0;
  readonly id: string;
  readonly remoteAddress: string;
  readonly localAddress = '127.0.0.1:9876';
  closed = false;
  closeReasons: string[] = [];
  readonly #listeners: Array<(c: RemotingChannel) => void> = [];

  constructor(remoteAddress = '127.0.0.1:50000') {
    FakeChannel.#n++;
    this.id = `fake-${FakeChannel.#n}`;
    this.remoteAddress = remoteAddress;
  }

  invoke(): Promise<RemotingCommand> {
    return Promise.reject(new Error('FakeChannel.invoke not supported'));
  }

  invokeOneway(): void {}

  write(): void {}

  close(reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReasons.push(reason);
    for (const l of this.#listeners) l(this);
  }

  onClose(listener: (c: RemotingChannel) => void): void {
    this.#listeners.push(listener);
  }
}

/** A fresh temp dir and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
