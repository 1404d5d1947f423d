// KVTable (PROTOCOL.md §4.5): `{"table":{"k":"v"}}` (GET_KVLIST_BY_NAMESPACE, REGISTER_BROKER reply, GET_BROKER_RUNTIME_INFO).
import { asObject, optStringMap, parseBodyJson, sortedKeys } from './json-fields.ts';

export interface KVTable {
  table: Record<string, string>;
}

export function serializeKVTable(kv: KVTable): Buffer {
  return Buffer.from(JSON.stringify({ table: sortedKeys(kv.table) }));
}

export function kvTableFromJson(v: unknown, what = 'KVTable'): KVTable {
  return { table: optStringMap(asObject(v, what), 'table', what) };
}

export function parseKVTable(body: Buffer | string | undefined): KVTable {
  return kvTableFromJson(parseBodyJson(body, 'KVTable'));
}
