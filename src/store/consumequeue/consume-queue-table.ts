// Every consume queue of the store, by topic and queue id, loaded from consumequeue/<topic>/<queueId>/ (PROTOCOL.md §7.1).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConsumeQueue } from './consume-queue.ts';
import type { FaultPoints } from '../fault-points.ts';

export interface ConsumeQueueTableOptions {
  /** The consumequeue/ folder. */
  root: string;
  fileSize: number;
  faults?: FaultPoints;
  now?: () => number;
}

export class ConsumeQueueTable {
  #opts: ConsumeQueueTableOptions;
  #topics = new Map<string, Map<number, ConsumeQueue>>();

  constructor(opts: ConsumeQueueTableOptions) {
    this.#opts = opts;
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
    cq.load();
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
    for (const cq of m.values()) cq.destroy();
    this.#topics.delete(topic);
    rmSync(join(this.#opts.root, topic), { recursive: true, force: true });
    return [...m.keys()];
  }

  async flushAll(): Promise<void> {
    await Promise.all(this.all().map((cq) => cq.flush()));
  }

  closeAll(opts: { discardUnwritten?: boolean } = {}): void {
    for (const cq of this.all()) cq.close(opts);
    this.#topics.clear();
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
    });
    m.set(queueId, cq);
    return cq;
  }
}
