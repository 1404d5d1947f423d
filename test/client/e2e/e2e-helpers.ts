// Shared bits of the client end-to-end tests (in-process NameServer + Broker over real TCP, driven by our client).
import assert from 'node:assert/strict';
import { Producer } from '../../../src/client/producer/producer.ts';
import type { ProducerOptions } from '../../../src/client/producer/producer.ts';
import type { BrokerHarness } from '../../integration/broker-harness.ts';
import { uniq } from '../../integration/broker-harness.ts';

/** Client options with a unique instanceName: every client gets its own ClientInstance, i.e. its own clientId. */
export function clientOf(namesrvAddr: string | readonly string[], name: string): { namesrvAddr: string | readonly string[]; instanceName: string; clientIP: string } {
  return { namesrvAddr, instanceName: uniq(name), clientIP: '127.0.0.1' };
}

/**
 * Polls `cond` every 20 ms until it holds; fails with `what` (and `detail()` if given) after `timeoutMs`. These tests
 * wait on real sockets, a real broker and real rebalances, so they wait on wall-clock time; no assertion is about time.
 */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 15_000, detail?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startProducer(h: BrokerHarness | string, extra: Partial<ProducerOptions> = {}): Promise<Producer> {
  const namesrvAddr = typeof h === 'string' ? h : h.namesrvAddr;
  const p = new Producer({ ...clientOf(namesrvAddr, 'p'), group: uniq('PG_e2e'), ...extra });
  await p.start();
  return p;
}

/** Counts per key: how many times each id was seen, and the total number of deliveries. */
export class DeliveryLog {
  readonly seen = new Map<string, number>();
  deliveries = 0;

  record(id: string): void {
    this.deliveries++;
    this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
  }

  get unique(): number {
    return this.seen.size;
  }

  get duplicates(): number {
    return this.deliveries - this.seen.size;
  }
}
