// TopicRouteData / QueueData / BrokerData (PROTOCOL.md §4.1): the GET_ROUTEINFO_BY_TOPIC body.
// We always emit compact JSON (Go string-splits `brokerAddrs`), fields in fastjson's sorted order, brokerId keys as
// quoted decimals ("0" = master). Parsing is lenient: Java namesrv writes bare integer keys to old clients.
import {
  asObject, bodyError, isObject, optBool, optNumber, optString, optStringArray, parseBodyJson, reqString, sortedKeys,
} from './json-fields.ts';
import type { JsonObject } from './json-fields.ts';

export const MASTER_ID = 0;

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

export interface BrokerData {
  cluster: string;
  brokerName: string;
  /** brokerId (decimal string, "0" = master) → "ip:port". */
  brokerAddrs: Record<string, string>;
  /** 5.x field; false for old brokers. */
  enableActingMaster: boolean;
  /** 5.x; omitted when absent. */
  zoneName?: string;
}

export interface TopicRouteData {
  /** "brokerName:queueNum;…" from the ORDER_TOPIC_CONFIG KV namespace; omitted when absent. */
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  /** brokerAddr → filter server addresses (always {} in practice). */
  filterServerTable: Record<string, string[]>;
  /** 5.x static-topic mapping, passed through untouched; omitted when absent. */
  topicQueueMappingByBroker?: Record<string, unknown>;
}

export function queueDataToJson(q: QueueData): Record<string, unknown> {
  return {
    brokerName: q.brokerName,
    perm: q.perm,
    readQueueNums: q.readQueueNums,
    topicSysFlag: q.topicSysFlag,
    writeQueueNums: q.writeQueueNums,
  };
}

export function queueDataFromJson(v: unknown, what = 'QueueData'): QueueData {
  const o = asObject(v, what);
  return {
    brokerName: reqString(o, 'brokerName', what),
    readQueueNums: optNumber(o, 'readQueueNums', what, 0),
    writeQueueNums: optNumber(o, 'writeQueueNums', what, 0),
    perm: optNumber(o, 'perm', what, 6),
    // 4.x and older wrote `topicSynFlag`.
    topicSysFlag: optNumber(o, 'topicSysFlag', what, optNumber(o, 'topicSynFlag', what, 0)),
  };
}

export function queueDataEquals(a: QueueData, b: QueueData): boolean {
  return a.brokerName === b.brokerName && a.readQueueNums === b.readQueueNums && a.writeQueueNums === b.writeQueueNums
    && a.perm === b.perm && a.topicSysFlag === b.topicSysFlag;
}

/** brokerAddrs with ids in ascending numeric order (what fastjson's MapSortField gives for Long keys). */
export function sortBrokerAddrs(addrs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(addrs).sort((x, y) => Number(x) - Number(y))) out[k] = addrs[k];
  return out;
}

export function brokerDataToJson(b: BrokerData): Record<string, unknown> {
  const o: Record<string, unknown> = {
    brokerAddrs: sortBrokerAddrs(b.brokerAddrs),
    brokerName: b.brokerName,
    cluster: b.cluster,
    enableActingMaster: b.enableActingMaster,
  };
  if (b.zoneName !== undefined) o.zoneName = b.zoneName;
  return o;
}

export function brokerDataFromJson(v: unknown, what = 'BrokerData'): BrokerData {
  const o = asObject(v, what);
  const addrs: Record<string, string> = {};
  const raw = o.brokerAddrs;
  if (raw !== undefined && raw !== null) {
    const m = asObject(raw, `${what}.brokerAddrs`);
    for (const k of Object.keys(m)) {
      const id = k.trim();
      if (!/^-?\d+$/.test(id)) throw bodyError(what, `brokerAddrs key must be a brokerId, got '${k}'`);
      addrs[String(Number(id))] = reqString(m, k, `${what}.brokerAddrs`);
    }
  }
  const b: BrokerData = {
    cluster: optString(o, 'cluster', what) ?? '',
    brokerName: reqString(o, 'brokerName', what),
    brokerAddrs: addrs,
    enableActingMaster: optBool(o, 'enableActingMaster', what, false),
  };
  const zone = optString(o, 'zoneName', what);
  if (zone !== undefined) b.zoneName = zone;
  return b;
}

export function cloneBrokerData(b: BrokerData): BrokerData {
  const c: BrokerData = { ...b, brokerAddrs: { ...b.brokerAddrs } };
  if (b.zoneName === undefined) delete c.zoneName;
  return c;
}

/** Lowest brokerId's address (the master when id 0 is present), or undefined. */
export function selectBrokerAddr(b: BrokerData): string | undefined {
  const ids = Object.keys(b.brokerAddrs).map(Number).sort((x, y) => x - y);
  return ids.length === 0 ? undefined : b.brokerAddrs[String(ids[0])];
}

export function topicRouteDataToJson(r: TopicRouteData): Record<string, unknown> {
  const o: Record<string, unknown> = {
    brokerDatas: r.brokerDatas.map(brokerDataToJson),
    filterServerTable: sortedKeys(r.filterServerTable),
  };
  if (r.orderTopicConf !== undefined) o.orderTopicConf = r.orderTopicConf;
  o.queueDatas = r.queueDatas.map(queueDataToJson);
  if (r.topicQueueMappingByBroker !== undefined) o.topicQueueMappingByBroker = r.topicQueueMappingByBroker;
  return o;
}

/** Compact JSON body, quoted brokerId keys: accepted by Java, Go, ali-ons and C++ clients (§4.1, §12.9). */
export function serializeTopicRouteData(r: TopicRouteData): Buffer {
  return Buffer.from(JSON.stringify(topicRouteDataToJson(r)));
}

export function topicRouteDataFromJson(v: unknown, what = 'TopicRouteData'): TopicRouteData {
  const o = asObject(v, what);
  const r: TopicRouteData = {
    queueDatas: arrayOf(o, 'queueDatas', what).map((x, i) => queueDataFromJson(x, `${what}.queueDatas[${i}]`)),
    brokerDatas: arrayOf(o, 'brokerDatas', what).map((x, i) => brokerDataFromJson(x, `${what}.brokerDatas[${i}]`)),
    filterServerTable: {},
  };
  const fst = o.filterServerTable;
  if (isObject(fst)) for (const k of Object.keys(fst)) r.filterServerTable[k] = optStringArray(fst, k, `${what}.filterServerTable`);
  const otc = optString(o, 'orderTopicConf', what);
  if (otc !== undefined) r.orderTopicConf = otc;
  if (isObject(o.topicQueueMappingByBroker)) r.topicQueueMappingByBroker = o.topicQueueMappingByBroker;
  return r;
}

export function parseTopicRouteData(body: Buffer | string | undefined): TopicRouteData {
  return topicRouteDataFromJson(parseBodyJson(body, 'TopicRouteData'));
}

function arrayOf(o: JsonObject, key: string, what: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bodyError(what, `field '${key}' must be an array`);
  return v;
}
