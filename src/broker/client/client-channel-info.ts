// One client connection as the broker's producer/consumer registries see it.
import type { RemotingChannel } from '../../remoting/transport/types.ts';

export interface ClientChannelInfo {
  readonly channel: RemotingChannel;
  readonly clientId: string;
  /** LanguageCode name from the request header ("JAVA", "GO", …; any string accepted). */
  readonly language: string;
  /** Client version from the request header. */
  readonly version: number;
  readonly remoteAddress: string;
  /** Time (ms) of the last heartbeat on this channel. */
  lastUpdateTimestamp: number;
}

/** What a heartbeat tells us about its sender. */
export interface ClientChannelInput {
  channel: RemotingChannel;
  clientId: string;
  language: string;
  version: number;
}

export function newClientChannelInfo(input: ClientChannelInput, now: number): ClientChannelInfo {
  return {
    channel: input.channel,
    clientId: input.clientId,
    language: input.language,
    version: input.version,
    remoteAddress: input.channel.remoteAddress,
    lastUpdateTimestamp: now,
  };
}
