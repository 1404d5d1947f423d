// ClusterInfo (PROTOCOL.md §4.2): the GET_BROKER_CLUSTER_INFO body.
// `{"brokerAddrTable":{"broker-a":{BrokerData}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}`.
// Java writes bare integer brokerAddrs keys here; we write quoted ones (Java/Go/C++ accept both) and parse either.
import { asObject, optStringArray, parseBodyJson, sortedKeys } from './json-fields.ts';
import { brokerDataFromJson, brokerDataToJson } from './topic-route-data.ts';
import type { BrokerData } from './topic-route-data.ts';

export interface ClusterInfo {
  brokerAddrTable: Record<string, BrokerData>;
  clusterAddrTable: Record<string, string[]>;
}

export function clusterInfoToJson(ci: ClusterInfo): Record<string, unknown> {
  const brokers: Record<string, unknown> = {};
  for (const [name, bd] of Object.entries(sortedKeys(ci.brokerAddrTable))) brokers[name] = brokerDataToJson(bd);
  return { brokerAddrTable: brokers, clusterAddrTable: sortedKeys(ci.clusterAddrTable) };
}

export function serializeClusterInfo(ci: ClusterInfo): Buffer {
  return Buffer.from(JSON.stringify(clusterInfoToJson(ci)));
}

export function clusterInfoFromJson(v: unknown, what = 'ClusterInfo'): ClusterInfo {
  const o = asObject(v, what);
  const out: ClusterInfo = { brokerAddrTable: {}, clusterAddrTable: {} };
  const bat = o.brokerAddrTable === undefined || o.brokerAddrTable === null ? {} : asObject(o.brokerAddrTable, `${what}.brokerAddrTable`);
  for (const k of Object.keys(bat)) out.brokerAddrTable[k] = brokerDataFromJson(bat[k], `${what}.brokerAddrTable.${k}`);
  const cat = o.clusterAddrTable === undefined || o.clusterAddrTable === null ? {} : asObject(o.clusterAddrTable, `${what}.clusterAddrTable`);
  for (const k of Object.keys(cat)) out.clusterAddrTable[k] = optStringArray(cat, k, `${what}.clusterAddrTable`);
  return out;
}

export function parseClusterInfo(body: Buffer | string | undefined): ClusterInfo {
  return clusterInfoFromJson(parseBodyJson(body, 'ClusterInfo'));
}
