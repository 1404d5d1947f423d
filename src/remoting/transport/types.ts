// The contract between the transport and everything above it (namesrv, broker, client).
import type { RemotingCommand } from '../protocol/remoting-command.ts';

/** One TCP connection, seen from either end. */
export interface RemotingChannel {
  /** Unique per process, stable for the life of the connection. */
  readonly id: string;
  /** "ip:port" of the peer. */
  readonly remoteAddress: string;
  /** "ip:port" of our end. */
  readonly localAddress: string;
  readonly closed: boolean;
  /** Send a request on this channel and wait for the reply (matched by opaque). Rejects with RocketMQError TIMEOUT / CONNECTION. */
  invoke(request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
  /** Send a request marked oneway; never answered. */
  invokeOneway(request: RemotingCommand): void;
  /** Write any command (used for replies). Respects write back-pressure. */
  write(command: RemotingCommand): void;
  close(reason?: string): void;
  /** Called once when the connection closes, whoever closed it. */
  onClose(listener: (channel: RemotingChannel) => void): void;
}

/**
 * Handles one request code. Return the reply (use RemotingCommand.responseTo), or null for no reply (oneway-style).
 * The framework never answers oneway requests, turns a throw into 1 SYSTEM_ERROR with the reason, and answers unknown
 * codes with 3 REQUEST_CODE_NOT_SUPPORTED.
 */
export type RequestHandler = (
  request: RemotingCommand,
  channel: RemotingChannel,
) => Promise<RemotingCommand | null | undefined> | RemotingCommand | null | undefined;
