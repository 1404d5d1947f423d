// Admin/management requests (PROTOCOL.md §2.1): KV config 100/101/102/219, cluster info 106, write perm 205/327,
// topic lists 206/224/304/311/312/313, topic delete/register 216/217, namesrv config 318/319.
import { parseProperties, stringifyProperties } from '../../common/properties-file.ts';
import {
  AddWritePermOfBrokerRequestHeader, AddWritePermOfBrokerResponseHeader, DeleteKVConfigRequestHeader,
  DeleteTopicFromNamesrvRequestHeader, GetKVConfigRequestHeader, GetKVConfigResponseHeader,
  GetKVListByNamespaceRequestHeader, GetTopicsByClusterRequestHeader, PutKVConfigRequestHeader,
  RegisterTopicRequestHeader, WipeWritePermOfBrokerRequestHeader, WipeWritePermOfBrokerResponseHeader,
} from '../../remoting/protocol/headers/namesrv-headers.ts';
import { serializeClusterInfo } from '../../remoting/protocol/body/cluster-info.ts';
import { serializeKVTable } from '../../remoting/protocol/body/kv-table.ts';
import { serializeTopicList } from '../../remoting/protocol/body/topic-list.ts';
import type { TopicList } from '../../remoting/protocol/body/topic-list.ts';
import { parseTopicRouteData } from '../../remoting/protocol/body/topic-route-data.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { applyNamesrvProperties, configBlackList, namesrvConfigToProperties } from '../namesrv-config.ts';
import type { NamesrvContext, NamesrvHandler } from './namesrv-context.ts';
import { fail, ok } from './reply.ts';

export class AdminRequestProcessor {
  readonly #ctx: NamesrvContext;

  constructor(ctx: NamesrvContext) {
    this.#ctx = ctx;
  }

  handlers(): Map<number, NamesrvHandler> {
    const routes = this.#ctx.routes;
    return new Map<number, NamesrvHandler>([
      [RequestCode.PUT_KV_CONFIG, (r) => this.putKVConfig(r)],
      [RequestCode.GET_KV_CONFIG, (r) => this.getKVConfig(r)],
      [RequestCode.DELETE_KV_CONFIG, (r) => this.deleteKVConfig(r)],
      [RequestCode.GET_KVLIST_BY_NAMESPACE, (r) => this.getKVListByNamespace(r)],
      [RequestCode.GET_BROKER_CLUSTER_INFO, (r) => ok(r, undefined, serializeClusterInfo(routes.getAllClusterInfo()))],
      [RequestCode.WIPE_WRITE_PERM_OF_BROKER, (r) => this.wipeWritePerm(r)],
      [RequestCode.ADD_WRITE_PERM_OF_BROKER, (r) => this.addWritePerm(r)],
      [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
        (r) => this.#topicList(r, this.#ctx.config.enableAllTopicList, () => routes.getAllTopicList())],
      [RequestCode.GET_TOPICS_BY_CLUSTER, (r) => this.getTopicsByCluster(r)],
      [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, (r) => this.#topicList(r, true, () => routes.getSystemTopicList())],
      [RequestCode.GET_UNIT_TOPIC_LIST, (r) => this.#topicList(r, this.#ctx.config.enableTopicList, () => routes.getUnitTopics())],
      [RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST,
        (r) => this.#topicList(r, this.#ctx.config.enableTopicList, () => routes.getHasUnitSubTopicList())],
      [RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST,
        (r) => this.#topicList(r, this.#ctx.config.enableTopicList, () => routes.getHasUnitSubUnUnitTopicList())],
      [RequestCode.DELETE_TOPIC_IN_NAMESRV, (r) => this.deleteTopic(r)],
      [RequestCode.REGISTER_TOPIC_IN_NAMESRV, (r) => this.registerTopic(r)],
      [RequestCode.UPDATE_NAMESRV_CONFIG, (r) => this.updateConfig(r)],
      [RequestCode.GET_NAMESRV_CONFIG, (r) => this.getConfig(r)],
    ]);
  }

  putKVConfig(req: RemotingCommand): RemotingCommand {
    const h = PutKVConfigRequestHeader.decode(req.extFields);
    this.#ctx.kv.put(h.namespace, h.key, h.value);
    return ok(req);
  }

  getKVConfig(req: RemotingCommand): RemotingCommand {
    const h = GetKVConfigRequestHeader.decode(req.extFields);
    const value = this.#ctx.kv.get(h.namespace, h.key);
    if (value === undefined) return fail(req, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${h.namespace} Key: ${h.key}`);
    return ok(req, GetKVConfigResponseHeader.encode({ value }));
  }

  deleteKVConfig(req: RemotingCommand): RemotingCommand {
    const h = DeleteKVConfigRequestHeader.decode(req.extFields);
    this.#ctx.kv.delete(h.namespace, h.key);
    return ok(req);
  }

  getKVListByNamespace(req: RemotingCommand): RemotingCommand {
    const h = GetKVListByNamespaceRequestHeader.decode(req.extFields);
    const table = this.#ctx.kv.getNamespace(h.namespace);
    if (!table) return fail(req, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${h.namespace}`);
    return ok(req, undefined, serializeKVTable({ table }));
  }

  wipeWritePerm(req: RemotingCommand): RemotingCommand {
    const h = WipeWritePermOfBrokerRequestHeader.decode(req.extFields);
    const wipeTopicCount = this.#ctx.routes.wipeWritePermOfBroker(h.brokerName);
    this.#ctx.log.info({ brokerName: h.brokerName, wipeTopicCount }, 'wipe write perm of broker');
    return ok(req, WipeWritePermOfBrokerResponseHeader.encode({ wipeTopicCount }));
  }

  addWritePerm(req: RemotingCommand): RemotingCommand {
    const h = AddWritePermOfBrokerRequestHeader.decode(req.extFields);
    const addTopicCount = this.#ctx.routes.addWritePermOfBroker(h.brokerName);
    this.#ctx.log.info({ brokerName: h.brokerName, addTopicCount }, 'add write perm of broker');
    return ok(req, AddWritePermOfBrokerResponseHeader.encode({ addTopicCount }));
  }

  getTopicsByCluster(req: RemotingCommand): RemotingCommand {
    if (!this.#ctx.config.enableTopicList) return fail(req, ResponseCode.SYSTEM_ERROR, 'disable');
    const h = GetTopicsByClusterRequestHeader.decode(req.extFields);
    return ok(req, undefined, serializeTopicList(this.#ctx.routes.getTopicsByCluster(h.cluster)));
  }

  deleteTopic(req: RemotingCommand): RemotingCommand {
    const h = DeleteTopicFromNamesrvRequestHeader.decode(req.extFields);
    this.#ctx.routes.deleteTopic(h.topic, h.clusterName);
    return ok(req);
  }

  registerTopic(req: RemotingCommand): RemotingCommand {
    const h = RegisterTopicRequestHeader.decode(req.extFields);
    if (req.body !== undefined && req.body.length > 0) {
      const route = parseTopicRouteData(req.body);
      if (route.queueDatas.length > 0) this.#ctx.routes.registerTopic(h.topic, route.queueDatas);
    }
    return ok(req);
  }

  updateConfig(req: RemotingCommand): RemotingCommand {
    if (req.body === undefined || req.body.length === 0) return ok(req);
    const props = parseProperties(req.body.toString('utf8'));
    const black = configBlackList(this.#ctx.config);
    const denied = Object.keys(props).filter((k) => black.has(k));
    if (denied.length > 0) return fail(req, ResponseCode.NO_PERMISSION, `Can not update config in black list. (${denied.join(', ')})`);
    const { applied, unknown } = applyNamesrvProperties(this.#ctx.config, props);
    this.#ctx.log.info({ applied, unknown }, 'namesrv config updated');
    this.#ctx.persistConfig();
    return ok(req);
  }

  getConfig(req: RemotingCommand): RemotingCommand {
    const text = stringifyProperties(namesrvConfigToProperties(this.#ctx.config), { escape: false });
    return ok(req, undefined, Buffer.from(text, 'utf8'));
  }

  #topicList(req: RemotingCommand, enabled: boolean, get: () => TopicList): RemotingCommand {
    if (!enabled) return fail(req, ResponseCode.SYSTEM_ERROR, 'disable');
    return ok(req, undefined, serializeTopicList(get()));
  }
}
