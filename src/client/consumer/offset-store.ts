// Consumer offsets: on the brokers for clustering (Java RemoteBrokerOffsetStore) or in a local JSON file for
// broadcasting (Java LocalFileOffsetStore). Offsets live in memory and are persisted periodically and on shutdown.
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { MessageModel } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { ClientInstance } from '../instance/client-instance.ts';
import { messageQueueKey } from '../message.ts';
import type { MessageQueue } from '../message.ts';
import { queryConsumerOffset, resolveBrokerAddr, updateConsumerOffset } from './consumer-api.ts';

/** Where readOffset looks: the in-memory table, the store (broker or file), or memory first. */
export const ReadOffsetType = { MEMORY: 'MEMORY', STORE: 'STORE', MEMORY_THEN_STORE: 'MEMORY_THEN_STORE' } as const;
export type ReadOffsetType = (typeof ReadOffsetType)[keyof typeof ReadOffsetType];

export interface OffsetStore {
  load(): Promise<void>;
  /** Set the in-memory offset; with `increaseOnly` a smaller value is ignored. */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /** The offset, or -1 when none is known. Store errors throw. */
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Persist the offsets of `mqs` (the queues this consumer still owns). `sync` waits for the broker's answer. */
  persistAll(mqs: readonly MessageQueue[], sync?: boolean): Promise<void>;
  persist(mq: MessageQueue, sync?: boolean): Promise<void>;
  removeOffset(mq: MessageQueue): void;
  /** A copy of the in-memory table. */
  cloneOffsetTable(topic?: string): Map<string, { mq: MessageQueue; offset: number }>;
}

abstract class MemoryOffsets {
  protected readonly table = new Map<string, { mq: MessageQueue; offset: number }>();

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const key = messageQueueKey(mq);
    const cur = this.table.get(key);
    if (cur === undefined) {
      this.table.set(key, { mq: { ...mq }, offset });
      return;
    }
    if (increaseOnly && offset < cur.offset) return;
    cur.offset = offset;
  }

  protected memoryOffset(mq: MessageQueue): number {
    return this.table.get(messageQueueKey(mq))?.offset ?? -1;
  }

  removeOffset(mq: MessageQueue): void {
    this.table.delete(messageQueueKey(mq));
  }

  cloneOffsetTable(topic?: string): Map<string, { mq: MessageQueue; offset: number }> {
    const out = new Map<string, { mq: MessageQueue; offset: number }>();
    for (const [k, v] of this.table) if (topic === undefined || v.mq.topic === topic) out.set(k, { mq: { ...v.mq }, offset: v.offset });
    return out;
  }
}

/** Clustering: QUERY_CONSUMER_OFFSET to read, UPDATE_CONSUMER_OFFSET (oneway unless `sync`) to persist. */
export class RemoteBrokerOffsetStore extends MemoryOffsets implements OffsetStore {
  readonly #instance: ClientInstance;
  readonly #group: string;
  readonly #log: Logger;

  constructor(instance: ClientInstance, group: string, log: Logger) {
    super();
    this.#instance = instance;
    this.#group = group;
    this.#log = log;
  }

  async load(): Promise<void> {}

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== ReadOffsetType.STORE) {
      const v = this.memoryOffset(mq);
      if (v >= 0 || type === ReadOffsetType.MEMORY) return v;
    }
    const addr = await resolveBrokerAddr(this.#instance, mq);
    const offset = await queryConsumerOffset(this.#instance, addr, this.#group, mq);
    if (offset >= 0) this.updateOffset(mq, offset, false);
    return offset;
  }

  async persistAll(mqs: readonly MessageQueue[], sync = false): Promise<void> {
    const owned = new Set(mqs.map(messageQueueKey));
    await Promise.all(
      [...this.table.entries()].filter(([k]) => owned.has(k)).map(([, v]) => this.#push(v.mq, v.offset, sync)),
    );
  }

  async persist(mq: MessageQueue, sync = false): Promise<void> {
    const v = this.table.get(messageQueueKey(mq));
    if (v !== undefined) await this.#push(v.mq, v.offset, sync);
  }

  async #push(mq: MessageQueue, offset: number, sync: boolean): Promise<void> {
    if (offset < 0) return;
    try {
      const addr = await resolveBrokerAddr(this.#instance, mq);
      await updateConsumerOffset(this.#instance, addr, this.#group, mq, offset, !sync);
    } catch (e) {
      this.#log.warn({ mq: messageQueueKey(mq), offset, err: errorMessage(e) }, 'persisting consumer offset failed');
    }
  }
}

interface OffsetFileEntry {
  topic: string;
  brokerName: string;
  queueId: number;
  offset: number;
}

/** Default file of a broadcasting consumer: ~/.rocketmq_offsets/<clientId>/<group>/offsets.json. */
export function defaultOffsetFile(clientId: string, group: string, baseDir: string = join(homedir(), '.rocketmq_offsets')): string {
  return join(baseDir, clientId.replace(/[:/\\]/g, '_'), group, 'offsets.json');
}

/** Broadcasting: offsets in a JSON file `{"offsetTable":[{topic,brokerName,queueId,offset}]}`, replaced atomically. */
export class LocalFileOffsetStore extends MemoryOffsets implements OffsetStore {
  readonly file: string;
  readonly #log: Logger;

  constructor(file: string, log: Logger) {
    super();
    this.file = file;
    this.#log = log;
  }

  async load(): Promise<void> {
    for (const e of this.#readFile()) this.updateOffset(e, e.offset, false);
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== ReadOffsetType.STORE) {
      const v = this.memoryOffset(mq);
      if (v >= 0 || type === ReadOffsetType.MEMORY) return v;
    }
    const key = messageQueueKey(mq);
    const found = this.#readFile().find((e) => messageQueueKey(e) === key);
    if (found === undefined) return -1;
    this.updateOffset(mq, found.offset, false);
    return found.offset;
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    if (mqs.length === 0) return;
    // Keep what the file knows about queues we do not own right now; overwrite the ones we do.
    const merged = new Map<string, OffsetFileEntry>();
    for (const e of this.#readFileQuietly()) merged.set(messageQueueKey(e), e);
    const owned = new Set(mqs.map(messageQueueKey));
    for (const [k, v] of this.table) if (owned.has(k) && v.offset >= 0) merged.set(k, { ...v.mq, offset: v.offset });
    this.#write([...merged.values()]);
  }

  async persist(mq: MessageQueue): Promise<void> {
    await this.persistAll([mq]);
  }

  #readFileQuietly(): OffsetFileEntry[] {
    try {
      return this.#readFile();
    } catch (e) {
      this.#log.warn({ file: this.file, err: errorMessage(e) }, 'unreadable offset file ignored');
      return [];
    }
  }

  /** The main file, or its .bak when the main one is missing, empty or not JSON (a crash mid-replace). */
  #readFile(): OffsetFileEntry[] {
    let v: unknown;
    let lastError: unknown;
    for (const f of [this.file, `${this.file}.bak`]) {
      if (!existsSync(f)) continue;
      const text = readFileSync(f, 'utf8');
      if (text.trim() === '') continue;
      try {
        v = JSON.parse(text);
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (v === undefined) {
      if (lastError !== undefined) throw new RocketMQError(ERROR_CODES.STORE, `offset file ${this.file} is not JSON`, { cause: lastError });
      return [];
    }
    const list = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).offsetTable : undefined;
    if (!Array.isArray(list)) throw new RocketMQError(ERROR_CODES.STORE, `offset file ${this.file} has no offsetTable array`);
    const out: OffsetFileEntry[] = [];
    for (const item of list) {
      if (typeof item !== 'object' || item === null) continue;
      const o = item as Record<string, unknown>;
      if (typeof o.topic === 'string' && typeof o.brokerName === 'string' && Number.isInteger(o.queueId) && Number.isInteger(o.offset)) {
        out.push({ topic: o.topic, brokerName: o.brokerName, queueId: o.queueId as number, offset: o.offset as number });
      }
    }
    return out;
  }

  /** Write to a temp file, fsync, keep the old file as .bak, rename into place. */
  #write(entries: OffsetFileEntry[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    const data = JSON.stringify({ offsetTable: entries.sort((a, b) => (messageQueueKey(a) < messageQueueKey(b) ? -1 : 1)) }, null, 2);
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (existsSync(this.file)) renameSync(this.file, `${this.file}.bak`);
    renameSync(tmp, this.file);
  }
}

/** A consumer's store: broadcasting keeps offsets in a local file (`file`, default under ~/.rocketmq_offsets), clustering on the brokers. */
export function createOffsetStore(instance: ClientInstance, group: string, messageModel: MessageModel, file: string | undefined, log: Logger): OffsetStore {
  return messageModel === MessageModel.BROADCASTING
    ? new LocalFileOffsetStore(file ?? defaultOffsetFile(instance.clientId, group), log)
    : new RemoteBrokerOffsetStore(instance, group, log);
}
