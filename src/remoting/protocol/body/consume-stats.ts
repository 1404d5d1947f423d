// ConsumeStats (PROTOCOL.md §4.7): GET_CONSUME_STATS (208) reply body.
// `{"consumeTps":x,"offsetTable":{{MessageQueue}:{"brokerOffset":n,"consumerOffset":n,"lastTimestamp":ms,"pullOffset":n}}}`.
import { asObject, optNumber, parseBodyJson } from './json-fields.ts';
import { decodeMessageQueueMap, encodeMessageQueueMap } from './message-queue.ts';
import type { MessageQueueEntries } from './message-queue.ts';

export interface OffsetWrapper {
  /** Max offset of the queue on the broker. */
  brokerOffset: number;
  /** Committed offset of the group. */
  consumerOffset: number;
  /** 5.x: offset pulled so far (pop / in-flight); equals consumerOffset on brokers that do not track it. */
  pullOffset: number;
  /** Store time of the last consumed message (ms), 0 if unknown. */
  lastTimestamp: number;
}

export interface ConsumeStats {
  offsetTable: MessageQueueEntries<OffsetWrapper>;
  consumeTps: number;
}

export function offsetWrapperToJson(w: OffsetWrapper): Record<string, number> {
  return { brokerOffset: w.brokerOffset, consumerOffset: w.consumerOffset, lastTimestamp: w.lastTimestamp, pullOffset: w.pullOffset };
}

export function offsetWrapperFromJson(v: unknown, what = 'OffsetWrapper'): OffsetWrapper {
  const o = asObject(v, what);
  return {
    brokerOffset: optNumber(o, 'brokerOffset', what, 0),
    consumerOffset: optNumber(o, 'consumerOffset', what, 0),
    pullOffset: optNumber(o, 'pullOffset', what, 0),
    lastTimestamp: optNumber(o, 'lastTimestamp', what, 0),
  };
}

/** fastjson form with MessageQueue objects as keys (what Java mqadmin parses). */
export function serializeConsumeStats(s: ConsumeStats): Buffer {
  return Buffer.from(`{"consumeTps":${JSON.stringify(s.consumeTps)},"offsetTable":${encodeMessageQueueMap(s.offsetTable, offsetWrapperToJson)}}`);
}

export function consumeStatsFromJson(v: unknown, what = 'ConsumeStats'): ConsumeStats {
  const o = asObject(v, what);
  return {
    offsetTable: decodeMessageQueueMap(o.offsetTable, `${what}.offsetTable`, offsetWrapperFromJson),
    consumeTps: optNumber(o, 'consumeTps', what, 0),
  };
}

export function parseConsumeStats(body: Buffer | string | undefined): ConsumeStats {
  return consumeStatsFromJson(parseBodyJson(body, 'ConsumeStats'));
}

/** Messages not yet consumed: Σ (brokerOffset − consumerOffset) over the queues (Java computeTotalDiff). */
export function consumeStatsTotalDiff(s: ConsumeStats): number {
  let total = 0;
  for (const [, w] of s.offsetTable) total += w.brokerOffset - w.consumerOffset;
  return total;
}
