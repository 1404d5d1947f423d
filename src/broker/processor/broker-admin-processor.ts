// Broker-wide admin requests (PROTOCOL.md §2.1; Java AdminBrokerProcessor): UPDATE_BROKER_CONFIG 25 /
// GET_BROKER_CONFIG 26 (properties text bodies, GET's header `version` = the config's DataVersion JSON),
// GET_BROKER_RUNTIME_INFO 28 (KVTable, every key of §4.9, all values strings), GET_TOPIC_NAME_LIST 23,
// GET_SYSTEM_TOPIC_LIST_FROM_BROKER 305 (TopicList) and GET_ALL_CONSUMER_OFFSET 43 (consumerOffset.json body).
import { statfs } from 'node:fs/promises';
import { errorMessage } from '../../common/errors.ts';
import { parseProperties } from '../../common/properties-file.ts';
import { dataVersionToJson, newDataVersion, nextDataVersion } from '../../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../../remoting/protocol/body/data-version.ts';
import { serializeKVTable } from '../../remoting/protocol/body/kv-table.ts';
import { serializeTopicList } from '../../remoting/protocol/body/topic-list.ts';
import { GetBrokerConfigResponseHeader } from '../../remoting/protocol/headers/admin-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { CURRENT_VERSION, MQVersion } from '../../remoting/protocol/version.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { BrokerRole } from '../config/broker-config.ts';
import { applyConfigUpdate, configToProperties } from '../config/broker-conf.ts';
import { writeConfigFileAtomic } from '../config/config-file.ts';
import { TPS_WINDOWS, brokerStatsOf } from '../stats/broker-stats.ts';
import { SystemTopic } from '../topic/topic-validator.ts';
import type { BrokerContext } from './broker-context.ts';
import { guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

/** What the admin processors need beyond BrokerContext: an immediate REGISTER_BROKER round (after a perm change). */
export interface BrokerAdminContext extends BrokerContext {
  registerBrokerAll(): Promise<void>;
  /** Answers the group's long-polling pulls on topic@queueId now (they then see a pending offset reset). */
  wakeHeldPulls(topic: string, queueId: number, group: string): void;
}

/** Capacities Java reports next to its (here nonexistent) thread-pool queue sizes. */
const POOL_CAPACITY = {
  send: 10_000,
  pull: 100_000,
  litePull: 100_000,
  query: 20_000,
  ack: 100_000,
  endTransaction: 100_000,
} as const;

/** "V5_3_3" for 479 (Java MQVersion.getVersionDesc); the highest known name at or below `v`. */
export function versionDesc(v: number): string {
  let best = 'V3_0_0_SNAPSHOT';
  let bestV = -1;
  for (const [name, n] of Object.entries(MQVersion)) {
    if (n <= v && n > bestV) {
      best = name;
      bestV = n;
    }
  }
  return best;
}

/** Java MixAll.humanReadableByteCount(bytes, false): "512 B", "1.5 KiB", "3.0 GiB". */
export function humanReadableBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const exp = Math.min(6, Math.floor(Math.log(bytes) / Math.log(1024)));
  return `${(bytes / 1024 ** exp).toFixed(1)} ${'KMGTPE'.charAt(exp - 1)}iB`;
}

function tpsString(f: (windowSeconds: number) => number): string {
  return TPS_WINDOWS.map((w) => f(w).toFixed(2)).join(' ');
}

/** "[ 0 days, 1 hours, 2 minutes, 3 seconds ]" (Java's runtime key). */
function runtimeDesc(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `[ ${Math.floor(s / 86400)} days, ${Math.floor((s % 86400) / 3600)} hours, ${Math.floor((s % 3600) / 60)} minutes, ${s % 60} seconds ]`;
}

export class BrokerAdminProcessor implements BrokerProcessor {
  readonly #ctx: BrokerAdminContext;
  readonly #bootTimestamp: number;
  /** DataVersion of the broker configuration (Java Configuration.dataVersion): bumped by every applied update. */
  #configVersion: DataVersion;

  constructor(ctx: BrokerAdminContext) {
    this.#ctx = ctx;
    this.#bootTimestamp = ctx.now();
    this.#configVersion = newDataVersion(this.#bootTimestamp);
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.UPDATE_BROKER_CONFIG, (req, ch) => this.updateBrokerConfig(req, ch.remoteAddress)],
      [RequestCode.GET_BROKER_CONFIG, (req) => this.getBrokerConfig(req)],
      [RequestCode.GET_BROKER_RUNTIME_INFO, (req) => this.getBrokerRuntimeInfo(req)],
      [RequestCode.GET_TOPIC_NAME_LIST, (req) => this.getTopicNameList(req)],
      [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, (req) => this.getSystemTopicList(req)],
      [RequestCode.GET_ALL_CONSUMER_OFFSET, (req) => this.getAllConsumerOffset(req)],
    ]);
  }

  /** The config DataVersion GET_BROKER_CONFIG reports (a copy). */
  get configVersion(): DataVersion {
    return { ...this.#configVersion };
  }

  /**
   * Applies `key=value` lines to the live configs, all-or-nothing: a black-listed key → 16 NO_PERMISSION, a bad value
   * → 29 INVALID_PARAMETER naming the key (applyConfigUpdate). Unknown keys are ignored (as Java does) and named in
   * the remark. The whole configuration is then written to brokerConfigPath (if the broker was started from a file);
   * a brokerPermission change bumps the topic DataVersion and re-registers with every NameServer at once.
   */
  updateBrokerConfig(req: RemotingCommand, caller: string): RemotingCommand {
    const ctx = this.#ctx;
    if (req.body === undefined || req.body.length === 0) {
      throw reject(ResponseCode.INVALID_PARAMETER, 'UPDATE_BROKER_CONFIG needs a body of key=value lines');
    }
    const text = req.body.toString('utf8');
    if (Object.keys(parseProperties(text)).length === 0) {
      throw reject(ResponseCode.INVALID_PARAMETER, 'UPDATE_BROKER_CONFIG body holds no key=value line');
    }
    const configs = { brokerConfig: ctx.brokerConfig, messageStoreConfig: ctx.messageStoreConfig };
    const result = applyConfigUpdate(text, configs);
    ctx.log.info({ caller, keys: result.updatedKeys, unknownKeys: result.unknownKeys }, 'broker config updated');
    if (result.updatedKeys.length > 0) {
      this.#configVersion = nextDataVersion(this.#configVersion, ctx.now());
      const path = ctx.brokerConfig.brokerConfigPath;
      if (path !== '') {
        try {
          writeConfigFileAtomic(path, configToProperties(configs));
        } catch (e) {
          ctx.log.error({ path, err: errorMessage(e) }, 'failed to persist the updated broker config');
        }
      }
    }
    if (result.updatedKeys.includes('brokerPermission')) {
      ctx.topicConfigManager.updateDataVersion();
      ctx.registerBrokerAll().catch((e: unknown) => ctx.log.warn({ err: errorMessage(e) }, 're-register after brokerPermission change failed'));
    }
    const reply = ok(req);
    if (result.unknownKeys.length > 0) reply.remark = `unknown keys ignored: ${result.unknownKeys.join(', ')}`;
    return reply;
  }

  getBrokerConfig(req: RemotingCommand): RemotingCommand {
    const ctx = this.#ctx;
    const text = configToProperties({ brokerConfig: ctx.brokerConfig, messageStoreConfig: ctx.messageStoreConfig });
    const ext = GetBrokerConfigResponseHeader.encode({ version: JSON.stringify(dataVersionToJson(this.#configVersion)) });
    return ok(req, ext, Buffer.from(text, 'utf8'));
  }

  async getBrokerRuntimeInfo(req: RemotingCommand): Promise<RemotingCommand> {
    return ok(req, undefined, serializeKVTable({ table: await this.runtimeInfo() }));
  }

  /** Every GET_BROKER_RUNTIME_INFO key (§4.9 plus Java's other keys we can fill), values as strings. */
  async runtimeInfo(): Promise<Record<string, string>> {
    const ctx = this.#ctx;
    const store = ctx.store;
    const bc = ctx.brokerConfig;
    const now = ctx.now();
    const stats = brokerStatsOf(ctx);
    const t: Record<string, string> = {};
    for (const [k, v] of Object.entries(store.getRuntimeInfo())) t[k] = String(v);
    const snap = stats.snapshot();
    Object.assign(t, {
      bootTimestamp: String(this.#bootTimestamp),
      runtime: runtimeDesc(now - this.#bootTimestamp),
      brokerActive: String(bc.brokerRole !== BrokerRole.SLAVE),
      brokerVersionDesc: versionDesc(CURRENT_VERSION),
      brokerVersion: String(CURRENT_VERSION),
      msgPutTotalYesterdayMorning: String(snap.msgPutTotalYesterdayMorning),
      msgPutTotalTodayMorning: String(snap.msgPutTotalTodayMorning),
      msgPutTotalTodayNow: String(snap.msgPutTotalTodayNow),
      msgGetTotalYesterdayMorning: String(snap.msgGetTotalYesterdayMorning),
      msgGetTotalTodayMorning: String(snap.msgGetTotalTodayMorning),
      msgGetTotalTodayNow: String(snap.msgGetTotalTodayNow),
      putTps: tpsString((w) => stats.putTps(w)),
      // Java's key has the typo; newer tools also read the corrected spelling.
      getTransferedTps: tpsString((w) => stats.getTransferredTps(w)),
      getTransferredTps: tpsString((w) => stats.getTransferredTps(w)),
      getFoundTps: tpsString((w) => stats.getFoundTps(w)),
      getMissTps: tpsString((w) => stats.getMissTps(w)),
      getTotalTps: tpsString((w) => stats.getFoundTps(w) + stats.getMissTps(w)),
      pageCacheLockTimeMills: '0',
      earliestMessageTimeStamp: String(store.getEarliestMessageTime()),
      startAcceptSendRequestTimeStamp: String(bc.startAcceptSendRequestTimeStamp),
      timerReadBehind: '0',
      timerOffsetBehind: '0',
      timerCongestNum: '0',
      timerEnqueueTps: '0.0',
      timerDequeueTps: '0.0',
      remainHowManyDataToFlush: humanReadableBytes(Math.max(0, store.getMaxPhyOffset() - Number(t.commitLogFlushedOffset ?? 0))),
      EndTransactionQueueSize: '0',
      EndTransactionThreadPoolQueueCapacity: String(POOL_CAPACITY.endTransaction),
    });
    for (const [pool, capacity] of Object.entries(POOL_CAPACITY)) {
      if (pool === 'endTransaction') continue;
      t[`${pool}ThreadPoolQueueSize`] = '0';
      t[`${pool}ThreadPoolQueueCapacity`] = String(capacity);
      t[`${pool}ThreadPoolQueueHeadWaitTimeMills`] = '0';
    }
    const root = ctx.messageStoreConfig.storePathRootDir;
    try {
      const s = await statfs(root);
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      const ratio = total > 0 ? (total - free) / total : 0;
      t.commitLogDiskRatio = String(ratio);
      t.consumeQueueDiskRatio = String(ratio);
      t.commitLogDirCapacity = `Total : ${humanReadableBytes(total)}, Free : ${humanReadableBytes(free)}.`;
    } catch (e) {
      ctx.log.warn({ root, err: errorMessage(e) }, 'statfs of the store root failed');
      t.commitLogDiskRatio = '-1';
      t.consumeQueueDiskRatio = '-1';
    }
    return t;
  }

  getTopicNameList(req: RemotingCommand): RemotingCommand {
    const topics = this.#ctx.topicConfigManager.topicNames().sort();
    return ok(req, undefined, serializeTopicList({ topicList: topics, brokerAddr: this.#ctx.brokerAddr() }));
  }

  /** The fixed system topics plus this broker's (cluster name, broker name, trace, …) — Java TopicValidator's set. */
  getSystemTopicList(req: RemotingCommand): RemotingCommand {
    const tcm = this.#ctx.topicConfigManager;
    const topics = new Set<string>(Object.values(SystemTopic));
    for (const t of tcm.topicNames()) if (tcm.isSystemTopic(t)) topics.add(t);
    return ok(req, undefined, serializeTopicList({ topicList: [...topics].sort() }));
  }

  getAllConsumerOffset(req: RemotingCommand): RemotingCommand {
    return ok(req, undefined, Buffer.from(this.#ctx.consumerOffsetManager.encode(false), 'utf8'));
  }
}
