// Every consume queue of the store, by topic and queue id, loaded from consumequeue/<topic>/<queueId>/ (PROTOCOL.md §7.1).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConsumeQueue } from './consume-queue.ts';
import { ERROR_CODES, isRocketMQError } from '../../common/errors.ts';
import type { FaultPoints } from '../fault-points.ts';
import { FdPool } from '../mappedfile/fd-pool.ts';

/** Default cap on open consume-queue files (see MessageStoreConfig.maxOpenConsumeQueueFiles). */
export const DEFAULT_MAX_OPEN_CONSUME_QUEUE_FILES = 256;

export interface ConsumeQueueTableOptions {
  /** The consumequeue/ folder. */
  root: string;
  fileSize: number;
  faults?: FaultPoints;
  now?: () => number;
  /** Open consume-queue files across all queues, at most (idle ones are closed, least recently used first). */
  maxOpenFiles?: number;
  /** Replaces fdatasync of consume-queue files (tests count it). */
  fdatasync?: (fd: number) => Promise<void>;
}

export interface FlushAllOptions {
  /** Sync only queues with at least this many dirty 4 KiB pages (or a full segment waiting); 0 or absent: every dirty queue. */
  leastPages?: number;
}

/** Queues flushed at the same time by flushAll. */
const FLUSH_CONCURRENCY = 16;

export class ConsumeQueueTable {
  #opts: ConsumeQueueTableOptions;
  #topics = new Map<string, Map<number, ConsumeQueue>>();
  #fdPool: FdPool;
  /** Queues with bytes appended since their last flush: a flush round looks at these only. */
  #dirty = new Set<ConsumeQueue>();

  constructor(opts: ConsumeQueueTableOptions) {
    this.#opts = opts;
    this.#fdPool = new FdPool(opts.maxOpenFiles ?? DEFAULT_MAX_OPEN_CONSUME_QUEUE_FILES);
  }

  /** Consume-queue files open right now (bounded by maxOpenFiles, except while more are busy at once). */
  get openFiles(): number {
    return this.#fdPool.size;
  }

  /** Opens every queue folder found on disk (each recovers its own tail). */
  load(): void {
    if (!existsSync(this.#opts.root)) return;
    for (const topic of readdirSync(this.#opts.root)) {
      const topicDir = join(this.#opts.root, topic);
      if (!statSync(topicDir).isDirectory()) continue;
      for (const q of readdirSync(topicDir)) {
        if (!/^\d+$/.test(q) || !statSync(join(topicDir, q)).isDirectory()) continue;
        this.#open(topic, Number(q)).load();
      }
    }
  }

  find(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.#topics.get(topic)?.get(queueId);
  }

  findOrCreate(topic: string, queueId: number): ConsumeQueue {
    const existing = this.find(topic, queueId);
    if (existing !== undefined) return existing;
    const cq = this.#open(topic, queueId);
    try {
      cq.load();
    } catch (e) {
      // Not half-registered: the next call (a dispatch retry) opens the queue afresh.
      cq.close({ discardUnwritten: true });
      const m = this.#topics.get(topic);
      m?.delete(queueId);
      if (m?.size === 0) this.#topics.delete(topic);
      throw e;
    }
    return cq;
  }

  /** All queues (a snapshot). */
  all(): ConsumeQueue[] {
    const out: ConsumeQueue[] = [];
    for (const m of this.#topics.values()) out.push(...m.values());
    return out;
  }

  topics(): string[] {
    return [...this.#topics.keys()];
  }

  queuesOf(topic: string): ConsumeQueue[] {
    return [...(this.#topics.get(topic)?.values() ?? [])];
  }

  /** Closes and deletes every queue of `topic`; returns the queue ids removed. */
  deleteTopic(topic: string): number[] {
    const m = this.#topics.get(topic);
    if (m === undefined) return [];
    for (const cq of m.values()) {
      this.#dirty.delete(cq);
      cq.destroy();
    }
    this.#topics.delete(topic);
    rmSync(join(this.#opts.root, topic), { recursive: true, force: true });
    return [...m.keys()];
  }

  /** Queues holding bytes not yet flushed. */
  get dirtyQueues(): number {
    return this.#dirty.size;
  }

  /**
   * Flushes the dirty queues (with `leastPages`, only those with that many dirty pages; flushConsumeQueueLeastPages), a
   * few at a time: each flush holds a descriptor while it writes and syncs, so flushing all queues at once would open as
   * many files as there are queues. Resolves with whether every queue is flushed (nothing was left out by `leastPages`).
   * Rejects with the first error after all were tried.
   */
  async flushAll(opts: FlushAllOptions = {}): Promise<boolean> {
    const leastPages = opts.leastPages ?? 0;
    const queues: ConsumeQueue[] = [];
    let skipped = false;
    for (const cq of this.#dirty) {
      if (!cq.hasUnflushed) this.#dirty.delete(cq);
      else if (cq.needsFlush(leastPages)) queues.push(cq);
      else skipped = true;
    }
    const workers = Math.max(1, Math.min(FLUSH_CONCURRENCY, Math.floor(this.#fdPool.maxOpen / 2)));
    let next = 0;
    let firstError: unknown;
    const worker = async (): Promise<void> => {
      while (next < queues.length) {
        const cq = queues[next++];
        try {
          await cq.flush();
          // Units appended while it synced keep the queue dirty.
          if (!cq.hasUnflushed) this.#dirty.delete(cq);
        } catch (e) {
          // A queue closed meanwhile (topic deleted) has nothing left to flush.
          if (isRocketMQError(e) && e.code === ERROR_CODES.NOT_RUNNING) this.#dirty.delete(cq);
          else firstError ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, queues.length) }, worker));
    if (firstError !== undefined) throw firstError;
    return !skipped;
  }

  closeAll(opts: { discardUnwritten?: boolean } = {}): void {
    for (const cq of this.all()) cq.close(opts);
    this.#topics.clear();
    this.#dirty.clear();
  }

  #open(topic: string, queueId: number): ConsumeQueue {
    let m = this.#topics.get(topic);
    if (m === undefined) {
      m = new Map();
      this.#topics.set(topic, m);
    }
    const cq = new ConsumeQueue({
      topic,
      queueId,
      dir: join(this.#opts.root, topic, String(queueId)),
      fileSize: this.#opts.fileSize,
      faults: this.#opts.faults,
      now: this.#opts.now,
      fdPool: this.#fdPool,
      fdatasync: this.#opts.fdatasync,
      onDirty: (q) => this.#dirty.add(q),
    });
    m.set(queueId, cq);
    return cq;
  }
}
