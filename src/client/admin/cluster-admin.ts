// Cluster, broker-config, NameServer-config and KV admin calls: GET_BROKER_CLUSTER_INFO 106, GET_BROKER_RUNTIME_INFO 28,
// GET/UPDATE_BROKER_CONFIG 26/25, WIPE/ADD_WRITE_PERM_OF_BROKER 205/327 (every NameServer), PUT/GET/DELETE_KV_CONFIG
// 100/101/102 and GET_KVLIST_BY_NAMESPACE 219, GET/UPDATE_NAMESRV_CONFIG 319/318. Config bodies are properties text
// (`key=value\n`, PROTOCOL.md §2.1).
import { parseProperties, stringifyProperties } from '../../common/properties-file.ts';
import type { ClusterInfo } from '../../remoting/protocol/body/cluster-info.ts';
import { parseKVTable } from '../../remoting/protocol/body/kv-table.ts';
import { GetBrokerConfigResponseHeader } from '../../remoting/protocol/headers/admin-headers.ts';
import {
  AddWritePermOfBrokerRequestHeader, AddWritePermOfBrokerResponseHeader, DeleteKVConfigRequestHeader, GetKVConfigRequestHeader,
  GetKVListByNamespaceRequestHeader, PutKVConfigRequestHeader, WipeWritePermOfBrokerRequestHeader, WipeWritePermOfBrokerResponseHeader,
} from '../../remoting/protocol/headers/namesrv-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { AdminContext } from './admin-context.ts';

export type ConfigValues = Readonly<Record<string, string | number | boolean>>;

export interface BrokerConfigResult {
  /** DataVersion JSON of the broker's config (response header `version`), when sent. */
  version: string | undefined;
  properties: Record<string, string>;
}

/** Per-NameServer outcome of wipeWritePerm / addWritePerm: how many topics changed there. */
export interface WritePermResult {
  namesrvAddr: string;
  topicCount: number;
}

export function clusterInfo(ctx: AdminContext): Promise<ClusterInfo> {
  return ctx.clusterInfo();
}

/** GET_BROKER_RUNTIME_INFO (28): the broker's KVTable of stats (keys in PROTOCOL.md §4.9). */
export async function brokerRuntimeInfo(ctx: AdminContext, brokerAddr: string): Promise<Record<string, string>> {
  return parseKVTable((await ctx.call(brokerAddr, RequestCode.GET_BROKER_RUNTIME_INFO)).body).table;
}

function propertiesBody(values: ConfigValues): Buffer {
  // Java MixAll.properties2String: raw `key=value` lines, no escaping.
  return Buffer.from(stringifyProperties(values, { escape: false }), 'utf8');
}

function parseConfigBody(body: Buffer | undefined): Record<string, string> {
  return body === undefined || body.length === 0 ? {} : parseProperties(body.toString('utf8'));
}

export async function getBrokerConfig(ctx: AdminContext, brokerAddr: string): Promise<BrokerConfigResult> {
  const res = await ctx.call(brokerAddr, RequestCode.GET_BROKER_CONFIG);
  let version: string | undefined;
  try {
    version = GetBrokerConfigResponseHeader.decode(res.extFields).version;
  } catch {
    version = undefined;
  }
  return { version, properties: parseConfigBody(res.body) };
}

/** UPDATE_BROKER_CONFIG (25) with the given keys on each address. */
export async function updateBrokerConfig(ctx: AdminContext, brokerAddrs: readonly string[], values: ConfigValues): Promise<void> {
  const body = propertiesBody(values);
  for (const addr of brokerAddrs) await ctx.call(addr, RequestCode.UPDATE_BROKER_CONFIG, undefined, body);
}

async function writePerm(ctx: AdminContext, wipe: boolean, brokerName: string, namesrvAddrs?: readonly string[]): Promise<WritePermResult[]> {
  const code = wipe ? RequestCode.WIPE_WRITE_PERM_OF_BROKER : RequestCode.ADD_WRITE_PERM_OF_BROKER;
  const ext = wipe ? WipeWritePermOfBrokerRequestHeader.encode({ brokerName }) : AddWritePermOfBrokerRequestHeader.encode({ brokerName });
  const replies = await ctx.callEveryNamesrv(code, ext, undefined, namesrvAddrs);
  return replies.map(({ addr, response }) => ({
    namesrvAddr: addr,
    topicCount: wipe
      ? WipeWritePermOfBrokerResponseHeader.decode(response.extFields).wipeTopicCount
      : AddWritePermOfBrokerResponseHeader.decode(response.extFields).addTopicCount,
  }));
}

/** WIPE_WRITE_PERM_OF_BROKER (205) on every NameServer (or the given ones). */
export function wipeWritePerm(ctx: AdminContext, brokerName: string, namesrvAddrs?: readonly string[]): Promise<WritePermResult[]> {
  return writePerm(ctx, true, brokerName, namesrvAddrs);
}

/** ADD_WRITE_PERM_OF_BROKER (327) on every NameServer (or the given ones). */
export function addWritePerm(ctx: AdminContext, brokerName: string, namesrvAddrs?: readonly string[]): Promise<WritePermResult[]> {
  return writePerm(ctx, false, brokerName, namesrvAddrs);
}

/** PUT_KV_CONFIG (100) on every NameServer, as Java's putKVConfigValue does. */
export async function putKvConfig(ctx: AdminContext, namespace: string, key: string, value: string): Promise<void> {
  await ctx.callEveryNamesrv(RequestCode.PUT_KV_CONFIG, PutKVConfigRequestHeader.encode({ namespace, key, value }));
}

/** GET_KV_CONFIG (101) from any NameServer; undefined on 22 QUERY_NOT_FOUND. */
export async function getKvConfig(ctx: AdminContext, namespace: string, key: string): Promise<string | undefined> {
  const res = await ctx.callNamesrv(RequestCode.GET_KV_CONFIG, GetKVConfigRequestHeader.encode({ namespace, key }), undefined, [ResponseCode.QUERY_NOT_FOUND]);
  return res.code === ResponseCode.SUCCESS ? res.ext('value') : undefined;
}

/** DELETE_KV_CONFIG (102) on every NameServer. */
export async function deleteKvConfig(ctx: AdminContext, namespace: string, key: string): Promise<void> {
  await ctx.callEveryNamesrv(RequestCode.DELETE_KV_CONFIG, DeleteKVConfigRequestHeader.encode({ namespace, key }));
}

/** GET_KVLIST_BY_NAMESPACE (219) from any NameServer; {} on 22 QUERY_NOT_FOUND. */
export async function getKvList(ctx: AdminContext, namespace: string): Promise<Record<string, string>> {
  const res = await ctx.callNamesrv(RequestCode.GET_KVLIST_BY_NAMESPACE, GetKVListByNamespaceRequestHeader.encode({ namespace }), undefined, [
    ResponseCode.QUERY_NOT_FOUND,
  ]);
  return res.code === ResponseCode.SUCCESS ? parseKVTable(res.body).table : {};
}

/** GET_NAMESRV_CONFIG (319) from each NameServer (default all): address → properties. */
export async function getNamesrvConfig(ctx: AdminContext, namesrvAddrs?: readonly string[]): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const { addr, response } of await ctx.callEveryNamesrv(RequestCode.GET_NAMESRV_CONFIG, undefined, undefined, namesrvAddrs)) {
    out[addr] = parseConfigBody(response.body);
  }
  return out;
}

/** UPDATE_NAMESRV_CONFIG (318) on each NameServer (default all). */
export async function updateNamesrvConfig(ctx: AdminContext, values: ConfigValues, namesrvAddrs?: readonly string[]): Promise<void> {
  await ctx.callEveryNamesrv(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, propertiesBody(values), namesrvAddrs);
}
