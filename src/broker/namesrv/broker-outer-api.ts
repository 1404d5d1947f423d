// The broker's calls to the NameServers (Java BrokerOuterAPI): REGISTER_BROKER 103 to every NameServer in parallel,
// UNREGISTER_BROKER 104, QUERY_DATA_VERSION 322 (PROTOCOL.md §2.2, §4.4, §11).
import { crc32 } from '../../common/crc32.ts';
import { errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import {
  QueryDataVersionRequestHeader,
  QueryDataVersionResponseHeader,
  RegisterBrokerRequestHeader,
  RegisterBrokerResponseHeader,
  UnRegisterBrokerRequestHeader,
} from '../../remoting/protocol/headers/namesrv-headers.ts';
import type { RegisterBrokerResponseHeader as RegisterBrokerResponse } from '../../remoting/protocol/headers/namesrv-headers.ts';
import { parseBodyJson } from '../../remoting/protocol/body/json-fields.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode, responseCodeName } from '../../remoting/protocol/response-code.ts';
import type { RemotingClient } from '../../remoting/transport/remoting-client.ts';
import { serializeDataVersion } from '../../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../../remoting/protocol/body/data-version.ts';
import { serializeRegisterBrokerBody } from '../../remoting/protocol/body/register-broker-body.ts';
import type { TopicConfigSerializeWrapper } from '../../remoting/protocol/body/topic-config-serialize-wrapper.ts';

export interface BrokerIdentity {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  /** "ip:port" clients use. */
  brokerAddr: string;
  /** "ip:haPort" slaves use. */
  haServerAddr: string;
}

export interface RegisterResult {
  namesrvAddr: string;
  ok: boolean;
  /** On success. */
  header?: RegisterBrokerResponse;
  /** Topics the NameServer lists as ordered (ORDER_TOPIC_CONFIG KV table), on success. */
  orderTopics?: string[];
  /** On failure. */
  error?: string;
}

function parseOrderTopics(body: Buffer | undefined): string[] {
  if (body === undefined || body.length === 0) return [];
  const json = parseBodyJson(body, 'KVTable');
  if (typeof json !== 'object' || json === null) return [];
  const table = (json as Record<string, unknown>).table;
  return typeof table === 'object' && table !== null ? Object.keys(table) : [];
}

export class BrokerOuterAPI {
  readonly #client: RemotingClient;
  readonly #log: Logger;
  readonly #timeoutMs: number;

  constructor(client: RemotingClient, log: Logger, timeoutMs: number) {
    this.#client = client;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
  }

  /** REGISTER_BROKER to every NameServer at once; never throws (failures are in the results and logged). */
  async registerBrokerAll(
    namesrvAddrs: readonly string[],
    id: BrokerIdentity,
    wrapper: TopicConfigSerializeWrapper,
  ): Promise<RegisterResult[]> {
    // §4.4 plain RegisterBrokerBody; the CRC lets the NameServer reject a corrupted body.
    const body = serializeRegisterBrokerBody({ filterServerList: [], topicConfigSerializeWrapper: wrapper });
    const ext = RegisterBrokerRequestHeader.encode({
      brokerName: id.brokerName,
      brokerAddr: id.brokerAddr,
      clusterName: id.clusterName,
      haServerAddr: id.haServerAddr,
      brokerId: id.brokerId,
      compressed: false,
      bodyCrc32: crc32(body) & 0x7fffffff,
    });
    return Promise.all(
      namesrvAddrs.map(async (addr): Promise<RegisterResult> => {
        try {
          const res = await this.#client.invoke(addr, RemotingCommand.request(RequestCode.REGISTER_BROKER, ext, body), this.#timeoutMs);
          if (res.code !== ResponseCode.SUCCESS) {
            const error = `${responseCodeName(res.code)}: ${res.remark ?? ''}`;
            this.#log.warn({ namesrv: addr, error }, 'register broker refused');
            return { namesrvAddr: addr, ok: false, error };
          }
          return {
            namesrvAddr: addr,
            ok: true,
            header: RegisterBrokerResponseHeader.decode(res.extFields),
            orderTopics: parseOrderTopics(res.body),
          };
        } catch (e) {
          this.#log.warn({ namesrv: addr, err: errorMessage(e) }, 'register broker failed');
          return { namesrvAddr: addr, ok: false, error: errorMessage(e) };
        }
      }),
    );
  }

  /** UNREGISTER_BROKER to every NameServer; never throws. */
  async unregisterBrokerAll(namesrvAddrs: readonly string[], id: BrokerIdentity): Promise<void> {
    const ext = UnRegisterBrokerRequestHeader.encode({
      brokerName: id.brokerName,
      brokerAddr: id.brokerAddr,
      clusterName: id.clusterName,
      brokerId: id.brokerId,
    });
    await Promise.all(
      namesrvAddrs.map(async (addr) => {
        try {
          const res = await this.#client.invoke(addr, RemotingCommand.request(RequestCode.UNREGISTER_BROKER, ext), this.#timeoutMs);
          if (res.code !== ResponseCode.SUCCESS) this.#log.warn({ namesrv: addr, code: res.code, remark: res.remark }, 'unregister broker refused');
        } catch (e) {
          this.#log.warn({ namesrv: addr, err: errorMessage(e) }, 'unregister broker failed');
        }
      }),
    );
  }

  /**
   * QUERY_DATA_VERSION to every NameServer: true if any of them has a different DataVersion for this broker (or could
   * not be asked), i.e. a registration is needed (Java needRegister).
   */
  async needRegister(namesrvAddrs: readonly string[], id: BrokerIdentity, dataVersion: DataVersion): Promise<boolean> {
    const ext = QueryDataVersionRequestHeader.encode({
      brokerName: id.brokerName,
      brokerAddr: id.brokerAddr,
      clusterName: id.clusterName,
      brokerId: id.brokerId,
    });
    const body = serializeDataVersion(dataVersion);
    const changed = await Promise.all(
      namesrvAddrs.map(async (addr) => {
        try {
          const res = await this.#client.invoke(addr, RemotingCommand.request(RequestCode.QUERY_DATA_VERSION, ext, body), this.#timeoutMs);
          if (res.code !== ResponseCode.SUCCESS) return true;
          return QueryDataVersionResponseHeader.decode(res.extFields).changed;
        } catch (e) {
          this.#log.warn({ namesrv: addr, err: errorMessage(e) }, 'query data version failed');
          return true;
        }
      }),
    );
    return changed.some((c) => c);
  }
}
