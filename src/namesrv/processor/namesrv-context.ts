// What the NameServer's request processors share: route tables, KV store, config, counters.
import type { Logger } from '../../common/logger.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel } from '../../remoting/transport/types.ts';
import type { KVConfigManager } from '../kv-config-manager.ts';
import type { NamesrvConfig } from '../namesrv-config.ts';
import type { RateMeter } from '../namesrv-stats.ts';
import type { RouteInfoManager } from '../route-info-manager.ts';

export interface NamesrvContext {
  readonly config: NamesrvConfig;
  readonly routes: RouteInfoManager;
  readonly kv: KVConfigManager;
  readonly routeQueries: RateMeter;
  readonly registrations: RateMeter;
  readonly log: Logger;
  /** ms since epoch, injectable for tests. */
  readonly now: () => number;
  /** When the processors started (for needWaitForService). */
  readonly startedAt: number;
  /** Write the current config to configStorePath (UPDATE_NAMESRV_CONFIG). */
  persistConfig(): void;
}

/** A processor's synchronous handler; the controller adapts it to the transport's RequestHandler. */
export type NamesrvHandler = (request: RemotingCommand, channel: RemotingChannel) => RemotingCommand;
