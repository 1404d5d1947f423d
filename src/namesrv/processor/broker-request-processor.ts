// Requests brokers send to the NameServer (PROTOCOL.md §2.1/§2.2): REGISTER_BROKER 103, UNREGISTER_BROKER 104,
// BROKER_HEARTBEAT 904, QUERY_DATA_VERSION 322.
import { crc32 } from '@node-rs/crc32';
import {
  BrokerHeartbeatRequestHeader, QueryDataVersionRequestHeader, QueryDataVersionResponseHeader,
  RegisterBrokerRequestHeader, RegisterBrokerResponseHeader, UnRegisterBrokerRequestHeader,
} from '../../remoting/protocol/headers/namesrv-headers.ts';
import { parseDataVersion, serializeDataVersion } from '../../remoting/protocol/body/data-version.ts';
import { parseRegisterBrokerBody } from '../../remoting/protocol/body/register-broker-body.ts';
import { parseTopicConfigSerializeWrapper } from '../../remoting/protocol/body/topic-config-serialize-wrapper.ts';
import { serializeKVTable } from '../../remoting/protocol/body/kv-table.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { MQVersion } from '../../remoting/protocol/version.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../kv-config-manager.ts';
import { emptyTopicConfigWrapper } from '../route-info-manager.ts';
import type { NamesrvContext, NamesrvHandler } from './namesrv-context.ts';
import { fail, ok } from './reply.ts';

/** extField carrying the broker's zone (MixAll.ZONE_NAME). */
const ZONE_NAME = '__ZONE_NAME';

/** CRC32 & 0x7FFFFFFF, as Java's UtilAll.crc32 (§2.2 REGISTER_BROKER). */
export function bodyCrc32(body: Buffer | undefined): number {
  return body === undefined ? 0 : crc32(body) & 0x7fffffff;
}

export class BrokerRequestProcessor {
  readonly #ctx: NamesrvContext;

  constructor(ctx: NamesrvContext) {
    this.#ctx = ctx;
  }

  handlers(): Map<number, NamesrvHandler> {
    return new Map<number, NamesrvHandler>([
      [RequestCode.REGISTER_BROKER, (r, c) => this.registerBroker(r, c)],
      [RequestCode.UNREGISTER_BROKER, (r) => this.unregisterBroker(r)],
      [RequestCode.BROKER_HEARTBEAT, (r) => this.brokerHeartbeat(r)],
      [RequestCode.QUERY_DATA_VERSION, (r) => this.queryDataVersion(r)],
    ]);
  }

  registerBroker(req: RemotingCommand, channel: RemotingChannel): RemotingCommand {
    const h = RegisterBrokerRequestHeader.decode(req.extFields);
    if (h.bodyCrc32 !== undefined && h.bodyCrc32 !== 0 && bodyCrc32(req.body) !== h.bodyCrc32) {
      this.#ctx.log.warn({ from: channel.remoteAddress, brokerAddr: h.brokerAddr }, 'register broker: crc32 not match');
      return fail(req, ResponseCode.SYSTEM_ERROR, 'crc32 not match');
    }
    let wrapper = emptyTopicConfigWrapper();
    let filterServerList: string[] | undefined;
    if (req.body !== undefined && req.body.length > 0) {
      if (req.version >= MQVersion.V3_0_11) {
        const body = parseRegisterBrokerBody(req.body, { compressed: h.compressed === true, brokerVersion: req.version });
        wrapper = body.topicConfigSerializeWrapper;
        filterServerList = body.filterServerList;
      } else {
        wrapper = parseTopicConfigSerializeWrapper(req.body); // brokers older than V3_0_11 sent the bare wrapper
      }
    } else if (req.version >= MQVersion.V3_0_11) {
      filterServerList = [];
    }
    this.#ctx.registrations.mark();
    const result = this.#ctx.routes.registerBroker({
      clusterName: h.clusterName,
      brokerAddr: h.brokerAddr,
      brokerName: h.brokerName,
      brokerId: h.brokerId,
      haServerAddr: h.haServerAddr,
      zoneName: req.extFields?.[ZONE_NAME],
      heartbeatTimeoutMillis: h.heartbeatTimeoutMillis,
      enableActingMaster: h.enableActingMaster,
      topicConfigWrapper: wrapper,
      filterServerList,
      channel,
    });
    if (result === null) return fail(req, ResponseCode.SYSTEM_ERROR, 'register broker failed');
    let body: Buffer | undefined;
    if (this.#ctx.config.returnOrderTopicConfigToBroker) {
      const table = this.#ctx.kv.getNamespace(NAMESPACE_ORDER_TOPIC_CONFIG);
      if (table) body = serializeKVTable({ table });
    }
    return ok(req, RegisterBrokerResponseHeader.encode(result), body);
  }

  unregisterBroker(req: RemotingCommand): RemotingCommand {
    const h = UnRegisterBrokerRequestHeader.decode(req.extFields);
    this.#ctx.routes.unregisterBroker(h);
    return ok(req);
  }

  brokerHeartbeat(req: RemotingCommand): RemotingCommand {
    const h = BrokerHeartbeatRequestHeader.decode(req.extFields);
    this.#ctx.routes.updateBrokerInfoUpdateTimestamp(h.clusterName, h.brokerAddr);
    return ok(req);
  }

  queryDataVersion(req: RemotingCommand): RemotingCommand {
    const h = QueryDataVersionRequestHeader.decode(req.extFields);
    const dv = parseDataVersion(req.body);
    const routes = this.#ctx.routes;
    const changed = routes.isBrokerTopicConfigChanged(h.clusterName, h.brokerAddr, dv);
    routes.updateBrokerInfoUpdateTimestamp(h.clusterName, h.brokerAddr);
    const ours = routes.queryBrokerTopicConfig(h.clusterName, h.brokerAddr);
    return ok(req, QueryDataVersionResponseHeader.encode({ changed }), ours ? serializeDataVersion(ours) : undefined);
  }
}
