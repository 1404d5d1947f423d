// TopicConfigSerializeWrapper (PROTOCOL.md §4.4, §7.7): topics.json, the REGISTER_BROKER body's inner object and the
// GET_ALL_TOPIC_CONFIG body. The 5.x mapping fields (TopicConfigAndMappingSerializeWrapper) pass through untouched.
import { asObject, isObject, parseBodyJson, sortedKeys } from './json-fields.ts';
import { dataVersionFromJson, dataVersionToJson, newDataVersion } from './data-version.ts';
import type { DataVersion } from './data-version.ts';
import { topicConfigFromJson, topicConfigToJson } from './topic-config.ts';
import type { TopicConfig } from './topic-config.ts';

export interface TopicConfigSerializeWrapper {
  dataVersion: DataVersion;
  topicConfigTable: Record<string, TopicConfig>;
  mappingDataVersion?: DataVersion;
  /** topic → TopicQueueMappingInfo (static topics; opaque here). */
  topicQueueMappingInfoMap?: Record<string, unknown>;
  /** topic → TopicQueueMappingDetail (opaque here). */
  topicQueueMappingDetailMap?: Record<string, unknown>;
}

export function topicConfigSerializeWrapperToJson(w: TopicConfigSerializeWrapper): Record<string, unknown> {
  const o: Record<string, unknown> = { dataVersion: dataVersionToJson(w.dataVersion) };
  if (w.mappingDataVersion !== undefined) o.mappingDataVersion = dataVersionToJson(w.mappingDataVersion);
  const table: Record<string, unknown> = {};
  for (const [name, tc] of Object.entries(sortedKeys(w.topicConfigTable))) table[name] = topicConfigToJson(tc);
  o.topicConfigTable = table;
  if (w.topicQueueMappingDetailMap !== undefined) o.topicQueueMappingDetailMap = w.topicQueueMappingDetailMap;
  if (w.topicQueueMappingInfoMap !== undefined) o.topicQueueMappingInfoMap = w.topicQueueMappingInfoMap;
  return o;
}

export function topicConfigSerializeWrapperFromJson(v: unknown, what = 'TopicConfigSerializeWrapper'): TopicConfigSerializeWrapper {
  const o = asObject(v, what);
  const w: TopicConfigSerializeWrapper = {
    dataVersion: o.dataVersion === undefined || o.dataVersion === null
      ? { ...newDataVersion(0) }
      : dataVersionFromJson(o.dataVersion, `${what}.dataVersion`),
    topicConfigTable: {},
  };
  if (o.topicConfigTable !== undefined && o.topicConfigTable !== null) {
    const t = asObject(o.topicConfigTable, `${what}.topicConfigTable`);
    for (const k of Object.keys(t)) w.topicConfigTable[k] = topicConfigFromJson(t[k], `${what}.topicConfigTable.${k}`, k);
  }
  if (isObject(o.mappingDataVersion)) w.mappingDataVersion = dataVersionFromJson(o.mappingDataVersion, `${what}.mappingDataVersion`);
  if (isObject(o.topicQueueMappingInfoMap)) w.topicQueueMappingInfoMap = o.topicQueueMappingInfoMap;
  if (isObject(o.topicQueueMappingDetailMap)) w.topicQueueMappingDetailMap = o.topicQueueMappingDetailMap;
  return w;
}

/** Compact JSON (the wire form; topics.json on disk is pretty-printed by the broker's config manager). */
export function serializeTopicConfigSerializeWrapper(w: TopicConfigSerializeWrapper): Buffer {
  return Buffer.from(JSON.stringify(topicConfigSerializeWrapperToJson(w)));
}

export function parseTopicConfigSerializeWrapper(body: Buffer | string | undefined): TopicConfigSerializeWrapper {
  return topicConfigSerializeWrapperFromJson(parseBodyJson(body, 'TopicConfigSerializeWrapper'));
}
