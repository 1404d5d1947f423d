// MessageQueue (PROTOCOL.md §4.6) and fastjson's object-as-key maps (§4.7): a Map<MessageQueue, V> is written with
// the queue object itself as the key, `{{"brokerName":"b","queueId":0,"topic":"t"}:V,...}`, which standard JSON
// parsers reject. parseLenientJson (common/lenient-json.ts) turns such a key into the compact JSON text of the key
// object; decodeMessageQueueMap parses that text back into a MessageQueue.
import { asObject, bodyError, optNumber, reqString } from './json-fields.ts';

export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** A Map<MessageQueue, V> as an ordered list of entries (JS objects cannot have object keys). */
export type MessageQueueEntries<V> = Array<[MessageQueue, V]>;

/** Fields in fastjson order (alphabetical). */
export function messageQueueToJson(mq: MessageQueue): { brokerName: string; queueId: number; topic: string } {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}

export function messageQueueFromJson(v: unknown, what = 'MessageQueue'): MessageQueue {
  const o = asObject(v, what);
  return { topic: reqString(o, 'topic', what), brokerName: reqString(o, 'brokerName', what), queueId: optNumber(o, 'queueId', what, 0) };
}

/** Order by topic, then broker name, then queue id. */
export function compareMessageQueues(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** Entries sorted by queue (fastjson writes HashMap order; we write a stable one). */
export function sortMessageQueueEntries<V>(entries: Iterable<readonly [MessageQueue, V]>): MessageQueueEntries<V> {
  return [...entries].map(([mq, v]): [MessageQueue, V] => [mq, v]).sort((x, y) => compareMessageQueues(x[0], y[0]));
}

/**
 * The fastjson text of a Map<MessageQueue, V>: `{{"brokerName":…,"queueId":…,"topic":…}:value,…}` (§4.7), what
 * Java's admin tools parse. Values go through `valueToJson` and JSON.stringify.
 */
export function encodeMessageQueueMap<V>(entries: Iterable<readonly [MessageQueue, V]>, valueToJson: (v: V) => unknown): string {
  const parts: string[] = [];
  for (const [mq, v] of sortMessageQueueEntries(entries)) {
    parts.push(`${JSON.stringify(messageQueueToJson(mq))}:${JSON.stringify(valueToJson(v))}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Decode a Map<MessageQueue, V> as parsed by parseLenientJson: every key is the JSON text of a MessageQueue (written
 * bare by fastjson, or quoted by a standard-JSON writer). Missing (null/undefined) map → no entries.
 */
export function decodeMessageQueueMap<V>(
  v: unknown,
  what: string,
  valueFromJson: (value: unknown, what: string) => V,
): MessageQueueEntries<V> {
  if (v === undefined || v === null) return [];
  const o = asObject(v, what);
  const out: MessageQueueEntries<V> = [];
  for (const key of Object.keys(o)) {
    let parsedKey: unknown;
    try {
      parsedKey = JSON.parse(key);
    } catch {
      throw bodyError(what, `key is not a MessageQueue object: ${key.length > 60 ? `${key.slice(0, 60)}…` : key}`);
    }
    out.push([messageQueueFromJson(parsedKey, `${what} key`), valueFromJson(o[key], `${what}[${key}]`)]);
  }
  return sortMessageQueueEntries(out);
}
