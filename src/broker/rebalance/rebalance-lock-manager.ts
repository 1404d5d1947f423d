// Queue locks for ordered consumption (PROTOCOL.md §2.2 LOCK_BATCH_MQ/UNLOCK_BATCH_MQ; Java RebalanceLockManager): one
// holder clientId per (group, topic, brokerName, queueId), a lease of lockMaxLiveTime (60 s, Java's
// rocketmq.broker.rebalance.lockMaxLiveTime) renewed by every lock request of the holder. Unlike Java, a lock also
// ends when the connection it was taken (or last renewed) on closes, so a crashed consumer does not block its queues
// for a minute.
import type { MessageQueue } from '../../remoting/protocol/body/message-queue.ts';

/** Java's default lease (ms). */
export const DEFAULT_LOCK_MAX_LIVE_TIME_MS = 60_000;

export interface RebalanceLockManagerOptions {
  lockMaxLiveTimeMs?: number;
  now?: () => number;
}

interface LockEntry {
  clientId: string;
  /** Connection the lock was taken or last renewed on (undefined when not tied to one). */
  channelId: string | undefined;
  lastUpdate: number;
}

function mqKey(mq: MessageQueue): string {
  return `${mq.topic}\u0001${mq.brokerName}\u0001${mq.queueId}`;
}

export class RebalanceLockManager {
  readonly #leaseMs: number;
  readonly #now: () => number;
  /** group → queue key → lock. */
  readonly #groups = new Map<string, Map<string, LockEntry>>();

  constructor(options: RebalanceLockManagerOptions = {}) {
    this.#leaseMs = options.lockMaxLiveTimeMs ?? DEFAULT_LOCK_MAX_LIVE_TIME_MS;
    this.#now = options.now ?? Date.now;
  }

  get lockMaxLiveTimeMs(): number {
    return this.#leaseMs;
  }

  #expired(e: LockEntry, now: number): boolean {
    return now - e.lastUpdate > this.#leaseMs;
  }

  /**
   * Locks (or renews) each queue for `clientId`; returns the queues now held by it. A queue held by another client
   * with an unexpired lease is left out.
   */
  tryLockBatch(group: string, mqs: readonly MessageQueue[], clientId: string, channelId?: string): MessageQueue[] {
    const now = this.#now();
    let table = this.#groups.get(group);
    if (table === undefined) {
      table = new Map();
      this.#groups.set(group, table);
    }
    const locked: MessageQueue[] = [];
    const seen = new Set<string>();
    for (const mq of mqs) {
      const k = mqKey(mq);
      if (seen.has(k)) continue;
      seen.add(k);
      const e = table.get(k);
      if (e === undefined || e.clientId === clientId || this.#expired(e, now)) {
        table.set(k, { clientId, channelId: channelId ?? e?.channelId, lastUpdate: now });
        locked.push(mq);
      }
    }
    if (table.size === 0) this.#groups.delete(group);
    return locked;
  }

  /** Releases the queues held by `clientId` (queues held by others are left alone). */
  unlockBatch(group: string, mqs: readonly MessageQueue[], clientId: string): void {
    const table = this.#groups.get(group);
    if (table === undefined) return;
    for (const mq of mqs) {
      const k = mqKey(mq);
      if (table.get(k)?.clientId === clientId) table.delete(k);
    }
    if (table.size === 0) this.#groups.delete(group);
  }

  /** Whether `clientId` holds an unexpired lock on the queue. */
  isLocked(group: string, mq: MessageQueue, clientId: string): boolean {
    const e = this.#groups.get(group)?.get(mqKey(mq));
    return e !== undefined && e.clientId === clientId && !this.#expired(e, this.#now());
  }

  /** The client holding an unexpired lock on the queue, if any. */
  holderOf(group: string, mq: MessageQueue): string | undefined {
    const e = this.#groups.get(group)?.get(mqKey(mq));
    return e === undefined || this.#expired(e, this.#now()) ? undefined : e.clientId;
  }

  /** Whether any consumer of `group` holds an unexpired queue lock (the group consumes orderly right now). */
  isLockedByAny(group: string): boolean {
    const table = this.#groups.get(group);
    if (table === undefined) return false;
    const now = this.#now();
    for (const e of table.values()) if (!this.#expired(e, now)) return true;
    return false;
  }

  /** Drops every lock taken or last renewed on this connection (it closed); returns how many were dropped. */
  releaseChannel(channelId: string): number {
    let n = 0;
    for (const [group, table] of this.#groups) {
      for (const [k, e] of table) {
        if (e.channelId !== channelId) continue;
        table.delete(k);
        n++;
      }
      if (table.size === 0) this.#groups.delete(group);
    }
    return n;
  }

  /** Drops expired entries (memory only: expired locks are already ignored). */
  removeExpired(): void {
    const now = this.#now();
    for (const [group, table] of this.#groups) {
      for (const [k, e] of table) if (this.#expired(e, now)) table.delete(k);
      if (table.size === 0) this.#groups.delete(group);
    }
  }
}
