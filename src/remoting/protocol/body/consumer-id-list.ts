// GetConsumerListByGroupResponseBody (PROTOCOL.md §4.5), the GET_CONSUMER_LIST_BY_GROUP (38) reply:
// `{"consumerIdList":["clientId",…]}`.
import { parseBodyJson } from './json-fields.ts';

export function serializeConsumerIdList(ids: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify({ consumerIdList: ids }));
}

/** Client ids; an empty body, a missing list or non-string entries yield nothing rather than an error. */
export function parseConsumerIdList(body: Buffer | undefined): string[] {
  if (!body || body.length === 0) return [];
  const v = parseBodyJson(body, 'GetConsumerListByGroupResponseBody');
  const list = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).consumerIdList : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is string => typeof x === 'string');
}
