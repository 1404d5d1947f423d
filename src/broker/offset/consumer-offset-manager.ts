// consumerOffset.json owner (PROTOCOL.md §7.7): `topic@group` → {queueId: offset}; persisted every
// flushConsumerOffsetInterval (5 s) and at shutdown. Also the transient reset-offset and pull-offset tables.
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { loadConfigFile, toConfigJson, writeConfigFileAtomic } from '../config/config-file.ts';
import { dataVersionFromJson, dataVersionToJson, newDataVersion, nextDataVersion } from '../../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../../remoting/protocol/body/data-version.ts';

export const TOPIC_GROUP_SEPARATOR = '@';

export interface ConsumerOffsetManagerOptions {
  /** Full path of consumerOffset.json. */
  configPath: string;
  /** Persist period (ms), BrokerConfig.flushConsumerOffsetInterval (5000). */
  flushIntervalMs?: number;
  /** Bump the DataVersion every this many commits (BrokerConfig.consumerOffsetUpdateVersionStep, 500). */
  versionStep?: number;
  /** Honour reset offsets in queryOffset (BrokerConfig.useServerSideResetOffset, true). */
  useServerSideResetOffset?: boolean;
  now?: () => number;
  logger?: Logger;
}

/** Result of QUERY_CONSUMER_OFFSET: 0 SUCCESS with an offset, or 22 QUERY_NOT_FOUND. */
export type QueryOffsetResult =
  | { code: typeof ResponseCode.SUCCESS; offset: number }
  | { code: typeof ResponseCode.QUERY_NOT_FOUND };

/** Store lookups QUERY_CONSUMER_OFFSET needs when a group has no offset yet. */
export interface QueueOffsetSource {
  /** Min logical offset of the queue. */
  minOffsetInQueue(topic: string, queueId: number): number;
  /** Whether the message at `offset` is still cheap to read (Java checkInMemByConsumeOffset); default true. */
  checkInMemByConsumeOffset?(topic: string, queueId: number, offset: number): boolean;
}

type OffsetTable = Map<string, Map<number, number>>;

function key(topic: string, group: string): string {
  return topic + TOPIC_GROUP_SEPARATOR + group;
}

/** Splits `topic@group`; undefined when the key does not have exactly one `@` (Java's split rule). */
export function splitTopicAtGroup(k: string): { topic: string; group: string } | undefined {
  const parts = k.split(TOPIC_GROUP_SEPARATOR);
  if (parts.length !== 2) return undefined;
  return { topic: parts[0] ?? '', group: parts[1] ?? '' };
}

export class ConsumerOffsetManager {
  readonly configPath: string;
  readonly #flushIntervalMs: number;
  readonly #versionStep: number;
  readonly #useServerSideResetOffset: boolean;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #offsets: OffsetTable = new Map();
  readonly #resetOffsets: OffsetTable = new Map();
  readonly #pullOffsets: OffsetTable = new Map();
  #dataVersion: DataVersion;
  #commitCount = 0;
  #dirty = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: ConsumerOffsetManagerOptions) {
    this.configPath = options.configPath;
    this.#flushIntervalMs = options.flushIntervalMs ?? 5000;
    this.#versionStep = Math.max(1, options.versionStep ?? 500);
    this.#useServerSideResetOffset = options.useServerSideResetOffset ?? true;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#dataVersion = newDataVersion(this.#now());
  }

  /** Loads consumerOffset.json (bare numeric queue keys accepted; .bak fallback). */
  load(): 'main' | 'bak' | 'none' {
    const loaded = loadConfigFile(this.configPath, decodeConsumerOffsetJson, this.#logger);
    if (loaded === undefined) return 'none';
    this.#offsets.clear();
    for (const [k, m] of loaded.value.offsets) this.#offsets.set(k, m);
    if (loaded.value.dataVersion !== undefined) this.#dataVersion = loaded.value.dataVersion;
    this.#dirty = false;
    return loaded.source;
  }

  /** Starts the periodic persist timer (idempotent). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#persistIfDirty(), this.#flushIntervalMs);
    this.#timer.unref?.();
  }

  /** Stops the timer and persists once more. */
  shutdown(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.persist();
  }

  persist(): void {
    writeConfigFileAtomic(this.configPath, this.encode(true));
    this.#dirty = false;
  }

  #persistIfDirty(): void {
    if (!this.#dirty) return;
    try {
      this.persist();
    } catch (e) {
      this.#logger?.error({ err: errorMessage(e), path: this.configPath }, 'failed to persist consumer offsets');
    }
  }

  /** `{"dataVersion":…,"offsetTable":{"topic@group":{"0":12}}}` (quoted keys — Java's parser accepts both forms). */
  encode(pretty = false): string {
    const offsetTable: Record<string, Record<string, number>> = {};
    for (const [k, m] of this.#offsets) {
      Object.defineProperty(offsetTable, k, {
        value: Object.fromEntries([...m.entries()].sort((a, b) => a[0] - b[0])),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const w = { dataVersion: dataVersionToJson(this.#dataVersion), offsetTable };
    return pretty ? toConfigJson(w) : JSON.stringify(w);
  }

  /** Current DataVersion (a copy). */
  get dataVersion(): DataVersion {
    return { ...this.#dataVersion };
  }

  /**
   * Stores a committed offset. Negative offsets are ignored (ali-ons sends −1 for "nothing consumed"); returns whether
   * the offset was stored.
   */
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): boolean {
    if (!Number.isFinite(offset) || offset < 0 || !Number.isInteger(queueId) || queueId < 0) return false;
    const k = key(topic, group);
    let m = this.#offsets.get(k);
    if (m === undefined) {
      m = new Map();
      this.#offsets.set(k, m);
    }
    const old = m.get(queueId);
    m.set(queueId, offset);
    if (old !== undefined && offset < old) {
      this.#logger?.debug({ clientHost, key: k, queueId, offset, old }, 'consumer offset moved backwards');
    }
    this.#dirty = true;
    if (++this.#commitCount % this.#versionStep === 0) this.#dataVersion = nextDataVersion(this.#dataVersion, this.#now());
    return true;
  }

  /** The committed offset (or a pending reset offset), −1 if none. */
  queryOffset(group: string, topic: string, queueId: number): number {
    const k = key(topic, group);
    if (this.#useServerSideResetOffset) {
      const r = this.#resetOffsets.get(k)?.get(queueId);
      if (r !== undefined) return r;
    }
    return this.#offsets.get(k)?.get(queueId) ?? -1;
  }

  /**
   * QUERY_CONSUMER_OFFSET rule (PROTOCOL.md §2.2): a stored offset → 0 with it; none and setZeroIfNotFound === false
   * → 22; none and the queue's min offset ≤ 0 with offset 0 still readable → 0 with offset 0; otherwise 22.
   * `setZeroIfNotFound` undefined counts as true (Java's null).
   */
  queryOffsetForRequest(
    group: string,
    topic: string,
    queueId: number,
    setZeroIfNotFound: boolean | undefined,
    source: QueueOffsetSource,
  ): QueryOffsetResult {
    const offset = this.queryOffset(group, topic, queueId);
    if (offset >= 0) return { code: ResponseCode.SUCCESS, offset };
    if (setZeroIfNotFound === false) return { code: ResponseCode.QUERY_NOT_FOUND };
    const minOffset = source.minOffsetInQueue(topic, queueId);
    const inMem = source.checkInMemByConsumeOffset?.(topic, queueId, 0) ?? true;
    if (minOffset <= 0 && inMem) return { code: ResponseCode.SUCCESS, offset: 0 };
    return { code: ResponseCode.QUERY_NOT_FOUND };
  }

  /** All committed offsets of (group, topic), or undefined. */
  queryOffsets(group: string, topic: string): ReadonlyMap<number, number> | undefined {
    return this.#offsets.get(key(topic, group));
  }

  /** Records the offset a pull started from (queryPullOffset falls back to the committed offset). */
  commitPullOffset(group: string, topic: string, queueId: number, offset: number): void {
    const k = key(topic, group);
    let m = this.#pullOffsets.get(k);
    if (m === undefined) {
      m = new Map();
      this.#pullOffsets.set(k, m);
    }
    m.set(queueId, offset);
  }

  queryPullOffset(group: string, topic: string, queueId: number): number {
    return this.#pullOffsets.get(key(topic, group))?.get(queueId) ?? this.queryOffset(group, topic, queueId);
  }

  clearPullOffset(group: string, topic: string): void {
    this.#pullOffsets.delete(key(topic, group));
  }

  /** Server-side reset (admin reset-by-time): queryOffset returns this until the consumer picks it up. */
  assignResetOffset(topic: string, group: string, queueId: number, offset: number): void {
    if (topic === '' || group === '' || queueId < 0 || offset < 0) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `illegal reset offset ${topic}@${group} q${queueId} → ${offset}`);
    }
    const k = key(topic, group);
    let m = this.#resetOffsets.get(k);
    if (m === undefined) {
      m = new Map();
      this.#resetOffsets.set(k, m);
    }
    m.set(queueId, offset);
    this.commitOffset('reset', group, topic, queueId, offset);
  }

  hasOffsetReset(topic: string, group: string, queueId: number): boolean {
    return this.#resetOffsets.get(key(topic, group))?.has(queueId) ?? false;
  }

  /** Returns and forgets the pending reset offset of a queue (undefined if none). */
  queryThenEraseResetOffset(topic: string, group: string, queueId: number): number | undefined {
    const k = key(topic, group);
    const m = this.#resetOffsets.get(k);
    const v = m?.get(queueId);
    if (m !== undefined && v !== undefined) {
      m.delete(queueId);
      if (m.size === 0) this.#resetOffsets.delete(k);
    }
    return v;
  }

  /** Sets offsets directly (admin reset/clone); entries with negative offsets are skipped. */
  resetOffset(group: string, topic: string, offsets: ReadonlyMap<number, number>): void {
    for (const [q, o] of offsets) this.commitOffset('admin', group, topic, q, o);
  }

  /** Copies srcGroup's offsets of `topic` to destGroup (replacing destGroup's). */
  cloneOffset(srcGroup: string, destGroup: string, topic: string): boolean {
    const src = this.#offsets.get(key(topic, srcGroup));
    if (src === undefined) return false;
    this.#offsets.set(key(topic, destGroup), new Map(src));
    this.#dirty = true;
    return true;
  }

  /** Forgets every offset (committed, reset, pull) of a group. */
  removeOffset(group: string): void {
    for (const table of [this.#offsets, this.#resetOffsets, this.#pullOffsets]) {
      for (const k of [...table.keys()]) if (splitTopicAtGroup(k)?.group === group) table.delete(k);
    }
    this.#dirty = true;
  }

  /** Forgets the offsets of (group, topic). */
  removeOffsetOf(group: string, topic: string): boolean {
    const k = key(topic, group);
    this.#resetOffsets.delete(k);
    this.#pullOffsets.delete(k);
    const had = this.#offsets.delete(k);
    if (had) this.#dirty = true;
    return had;
  }

  /** Forgets every group's offsets of a topic (topic deleted). */
  cleanOffsetByTopic(topic: string): void {
    for (const table of [this.#offsets, this.#resetOffsets, this.#pullOffsets]) {
      for (const k of [...table.keys()]) if (splitTopicAtGroup(k)?.topic === topic) table.delete(k);
    }
    this.#dirty = true;
  }

  whichTopicByConsumer(group: string): Set<string> {
    const out = new Set<string>();
    for (const k of this.#offsets.keys()) {
      const p = splitTopicAtGroup(k);
      if (p !== undefined && p.group === group) out.add(p.topic);
    }
    return out;
  }

  whichGroupByTopic(topic: string): Set<string> {
    const out = new Set<string>();
    for (const k of this.#offsets.keys()) {
      const p = splitTopicAtGroup(k);
      if (p !== undefined && p.topic === topic) out.add(p.group);
    }
    return out;
  }

  /** group → topics with offsets. */
  getGroupTopicMap(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const k of this.#offsets.keys()) {
      const p = splitTopicAtGroup(k);
      if (p === undefined) continue;
      let s = out.get(p.group);
      if (s === undefined) {
        s = new Set();
        out.set(p.group, s);
      }
      s.add(p.topic);
    }
    return out;
  }
}

/** Decodes consumerOffset.json: `offsetTable` keys `topic@group`, inner keys decimal queue ids (bare or quoted). */
export function decodeConsumerOffsetJson(json: unknown): { offsets: OffsetTable; dataVersion: DataVersion | undefined } {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'consumerOffset.json is not an object');
  }
  const o = json as Record<string, unknown>;
  const table = o.offsetTable ?? {};
  if (table === null || typeof table !== 'object' || Array.isArray(table)) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'offsetTable is not an object');
  }
  const offsets: OffsetTable = new Map();
  for (const [k, inner] of Object.entries(table as Record<string, unknown>)) {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `offsetTable[${k}] is not an object`);
    }
    const m = new Map<number, number>();
    for (const [q, v] of Object.entries(inner as Record<string, unknown>)) {
      const queueId = Number(q);
      const offset = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
      if (!/^\d+$/.test(q) || typeof offset !== 'number' || !Number.isInteger(offset)) {
        throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `offsetTable[${k}][${q}] is not queueId → offset`);
      }
      m.set(queueId, offset);
    }
    offsets.set(k, m);
  }
  const dataVersion = o.dataVersion === undefined || o.dataVersion === null ? undefined : dataVersionFromJson(o.dataVersion);
  return { offsets, dataVersion };
}
