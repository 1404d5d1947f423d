// What every admin call family needs: the ClientInstance, request helpers that turn non-success replies into
// RocketMQError(BROKER_RESPONSE) with the broker's responseCode, and address lookups (topic route → one address per
// broker group, cluster → master addresses).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { parseClusterInfo } from '../../remoting/protocol/body/cluster-info.ts';
import type { ClusterInfo } from '../../remoting/protocol/body/cluster-info.ts';
import { selectBrokerAddr } from '../../remoting/protocol/body/topic-route-data.ts';
import type { TopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../remoting/protocol/remoting-command.ts';
import { requestCodeName, RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { responseError } from '../client-errors.ts';
import type { ClientInstance } from '../instance/client-instance.ts';

/** Where a cluster-wide admin write goes: every master of a cluster, or one broker. */
export interface BrokerTarget {
  clusterName?: string;
  brokerAddr?: string;
}

/** One broker group of a route with the address admin calls use (the master, else the lowest slave id). */
export interface RouteBroker {
  brokerName: string;
  cluster: string;
  addr: string;
}

export class AdminContext {
  readonly instance: ClientInstance;
  readonly timeoutMs: number;
  readonly createTopicKey: string;

  constructor(instance: ClientInstance, timeoutMs: number, createTopicKey: string) {
    this.instance = instance;
    this.timeoutMs = timeoutMs;
    this.createTopicKey = createTopicKey;
  }

  /** Send to one broker; returns the reply whatever its code. */
  invoke(addr: string, code: number, extFields?: ExtFields, body?: Buffer, timeoutMs = this.timeoutMs): Promise<RemotingCommand> {
    return this.instance.invoke(addr, RemotingCommand.request(code, extFields, body), timeoutMs);
  }

  /** Send to one broker; a reply other than SUCCESS (or one of `okCodes`) throws. */
  async call(addr: string, code: number, extFields?: ExtFields, body?: Buffer, okCodes: readonly number[] = []): Promise<RemotingCommand> {
    const res = await this.invoke(addr, code, extFields, body);
    if (res.code !== ResponseCode.SUCCESS && !okCodes.includes(res.code)) throw responseError(`${requestCodeName(code)} to ${addr}`, res, []);
    return res;
  }

  /** Send to any NameServer (fail-over between them); a reply other than SUCCESS (or `okCodes`) throws. */
  async callNamesrv(code: number, extFields?: ExtFields, body?: Buffer, okCodes: readonly number[] = []): Promise<RemotingCommand> {
    const res = await this.instance.invokeNamesrv(() => RemotingCommand.request(code, extFields, body), this.timeoutMs);
    if (res.code !== ResponseCode.SUCCESS && !okCodes.includes(res.code)) throw responseError(`${requestCodeName(code)} to the name server`, res, []);
    return res;
  }

  /** Send to every NameServer in turn (writes Java applies on each of them); the first failure throws. */
  async callEveryNamesrv(code: number, extFields?: ExtFields, body?: Buffer, addrs: readonly string[] = this.namesrvAddrs()): Promise<Array<{ addr: string; response: RemotingCommand }>> {
    const out: Array<{ addr: string; response: RemotingCommand }> = [];
    for (const addr of addrs) out.push({ addr, response: await this.call(addr, code, extFields, body) });
    return out;
  }

  namesrvAddrs(): string[] {
    return [...this.instance.config.namesrvAddr];
  }

  /** Route of `topic` fresh from the NameServer; 17 TOPIC_NOT_EXIST throws (BROKER_RESPONSE, responseCode 17). */
  async route(topic: string): Promise<TopicRouteData> {
    const route = await this.instance.fetchTopicRoute(topic);
    if (route === undefined) {
      throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `no route info for topic "${topic}" in the name server`, {
        responseCode: ResponseCode.TOPIC_NOT_EXIST,
      });
    }
    this.instance.setTopicRoute(topic, route);
    return route;
  }

  /** Route of the first of `topics` the NameServer knows (Java tries %RETRY%group, then the topic). */
  async firstRoute(topics: readonly string[]): Promise<TopicRouteData> {
    let last: unknown;
    for (const t of topics) {
      try {
        return await this.route(t);
      } catch (e) {
        last = e;
      }
    }
    throw last instanceof Error ? last : new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'no topic to route');
  }

  async clusterInfo(): Promise<ClusterInfo> {
    return parseClusterInfo((await this.callNamesrv(RequestCode.GET_BROKER_CLUSTER_INFO)).body);
  }

  /** Master addresses of every broker group of `cluster` (Java CommandUtil.fetchMasterAddrByClusterName). */
  async masterAddrsOfCluster(cluster: string): Promise<string[]> {
    const ci = await this.clusterInfo();
    const names = ci.clusterAddrTable[cluster];
    if (names === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `cluster "${cluster}" is not known to the name server`);
    const out: string[] = [];
    for (const name of [...names].sort()) {
      const addr = ci.brokerAddrTable[name]?.brokerAddrs['0'];
      if (addr !== undefined) out.push(addr);
    }
    return out;
  }

  /** Broker names of `cluster`. */
  async brokerNamesOfCluster(cluster: string): Promise<string[]> {
    const ci = await this.clusterInfo();
    const names = ci.clusterAddrTable[cluster];
    if (names === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `cluster "${cluster}" is not known to the name server`);
    return [...names].sort();
  }

  /** Addresses for a BrokerTarget: exactly one of clusterName / brokerAddr must be set. */
  async targetAddrs(target: BrokerTarget): Promise<string[]> {
    const hasCluster = target.clusterName !== undefined && target.clusterName !== '';
    const hasBroker = target.brokerAddr !== undefined && target.brokerAddr !== '';
    if (hasCluster === hasBroker) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'give exactly one of clusterName and brokerAddr');
    if (hasBroker) return [target.brokerAddr as string];
    const addrs = await this.masterAddrsOfCluster(target.clusterName as string);
    if (addrs.length === 0) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `cluster "${target.clusterName}" has no master broker`);
    return addrs;
  }

  /** One address per broker group of a route (Java BrokerData.selectBrokerAddr: the master when there is one). */
  routeBrokers(route: TopicRouteData): RouteBroker[] {
    const out: RouteBroker[] = [];
    for (const bd of [...route.brokerDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))) {
      const addr = selectBrokerAddr(bd);
      if (addr !== undefined) out.push({ brokerName: bd.brokerName, cluster: bd.cluster, addr });
    }
    return out;
  }

  /** Address of `brokerName` (master first) for a queue of `topic`, refreshing the route if needed. */
  async brokerAddrOf(topic: string, brokerName: string): Promise<string> {
    let addr = this.instance.findAnyBrokerAddr(brokerName);
    if (addr === undefined) {
      await this.route(topic);
      addr = this.instance.findAnyBrokerAddr(brokerName);
    }
    if (addr === undefined) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `broker "${brokerName}" is not in the route of topic "${topic}"`);
    }
    return addr;
  }
}
