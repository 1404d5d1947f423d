// The connecting side: one reused connection per "host:port", reconnected on demand after it closes. Also answers
// requests the server sends down those connections (NOTIFY_CONSUMER_IDS_CHANGED etc.) through registered handlers.
import { connect } from 'node:net';
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import type { RemotingCommand } from '../protocol/remoting-command.ts';
import { RequestDispatcher } from './request-dispatcher.ts';
import { SocketChannel } from './socket-channel.ts';
import type { RemotingChannel, RequestHandler } from './types.ts';

export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

export interface RemotingClientOptions {
  connectTimeoutMs?: number;
  /** Close connections idle this long; default 120 s; 0 disables. */
  idleTimeoutMs?: number;
  maxFrameLength?: number;
}

/** "host:port" or "[v6]:port" → parts. Throws INVALID_ARGUMENT. */
export function parseAddress(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const port = i < 0 ? NaN : Number(addr.slice(i + 1));
  let host = i < 0 ? '' : addr.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (!host || !Number.isInteger(port) || port <= 0 || port > 65535 || addr.slice(i + 1).trim() === '') {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `address must be "host:port", got "${addr}"`);
  }
  return { host, port };
}

interface ChannelEntry {
  promise: Promise<SocketChannel>;
  /** Set once connected. */
  channel: SocketChannel | undefined;
}

export class RemotingClient {
  #options: RemotingClientOptions;
  #log: Logger;
  #dispatcher: RequestDispatcher;
  #channels = new Map<string, ChannelEntry>();
  #open = new Set<SocketChannel>();
  #closeListeners: Array<(channel: RemotingChannel) => void> = [];
  #running = true;

  constructor(options: RemotingClientOptions = {}) {
    this.#options = options;
    this.#log = createLogger('remoting-client');
    this.#dispatcher = new RequestDispatcher({ logger: this.#log });
  }

  invoke(addr: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    // Connected already (the usual case): straight to the channel, no extra promise or microtask per request.
    const ready = this.#running ? this.#channels.get(addr)?.channel : undefined;
    if (ready !== undefined && !ready.closed) return ready.invoke(request, timeoutMs);
    return this.#invokeConnecting(addr, request, timeoutMs);
  }

  async #invokeConnecting(addr: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const started = Date.now();
    const channel = await this.#channel(addr);
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0) {
      throw new RocketMQError(ERROR_CODES.TIMEOUT, `request code=${request.code} to ${addr}: connecting used up the ${timeoutMs} ms timeout`, {
        retriable: true,
      });
    }
    return channel.invoke(request, left);
  }

  async invokeOneway(addr: string, request: RemotingCommand): Promise<void> {
    const channel = await this.#channel(addr);
    request.markOneway();
    await channel.writeAsync(request);
  }

  registerHandler(code: number, handler: RequestHandler): void {
    this.#dispatcher.registerHandler(code, handler);
  }

  getChannel(addr: string): Promise<RemotingChannel> {
    return this.#channel(addr);
  }

  closeChannel(addr: string): void {
    const entry = this.#channels.get(addr);
    if (!entry) return;
    this.#channels.delete(addr);
    entry.promise.then((ch) => ch.close('closed by client'), () => undefined);
  }

  onChannelClose(listener: (channel: RemotingChannel) => void): void {
    this.#closeListeners.push(listener);
  }

  async shutdown(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    const pending = [...this.#channels.values()].map((e) => e.promise);
    this.#channels.clear();
    const settled = await Promise.allSettled(pending);
    const closing: Promise<void>[] = [];
    for (const r of settled) if (r.status === 'fulfilled') this.#open.add(r.value);
    for (const ch of this.#open) {
      ch.close('client shutdown');
      closing.push(ch.whenClosed());
    }
    await Promise.all(closing);
  }

  #channel(addr: string): Promise<SocketChannel> {
    if (!this.#running) return Promise.reject(new RocketMQError(ERROR_CODES.NOT_RUNNING, 'remoting client is shut down'));
    const existing = this.#channels.get(addr);
    if (existing && !existing.channel?.closed) return existing.promise;
    const entry: ChannelEntry = { promise: this.#connect(addr), channel: undefined };
    this.#channels.set(addr, entry);
    entry.promise.then(
      (ch) => {
        entry.channel = ch;
      },
      () => {
        if (this.#channels.get(addr) === entry) this.#channels.delete(addr);
      },
    );
    return entry.promise;
  }

  #connect(addr: string): Promise<SocketChannel> {
    let target: { host: string; port: number };
    try {
      target = parseAddress(addr);
    } catch (e) {
      return Promise.reject(e);
    }
    const timeoutMs = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.host, port: target.port, noDelay: true });
      const fail = (message: string, cause?: unknown): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new RocketMQError(ERROR_CODES.CONNECTION, `connect to ${addr} failed: ${message}`, { retriable: true, cause }));
      };
      const timer = setTimeout(() => fail(`no connection within ${timeoutMs} ms`), timeoutMs);
      const onError = (e: Error): void => fail(e.message, e);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        const channel = new SocketChannel(socket, {
          logger: this.#log,
          onRequest: (req, ch) => this.#dispatcher.dispatch(req, ch),
          idleTimeoutMs: this.#options.idleTimeoutMs,
          maxFrameLength: this.#options.maxFrameLength,
        });
        this.#open.add(channel);
        channel.onClose((ch) => this.#closed(addr, channel, ch));
        if (!this.#running) {
          channel.close('client shutdown');
          reject(new RocketMQError(ERROR_CODES.NOT_RUNNING, 'remoting client is shut down'));
          return;
        }
        this.#log.debug({ addr, channel: channel.id }, 'connected');
        resolve(channel);
      });
    });
  }

  #closed(addr: string, channel: SocketChannel, ch: RemotingChannel): void {
    this.#open.delete(channel);
    // Forget the entry only if it still holds this channel (a reconnect may already have replaced it).
    if (this.#channels.get(addr)?.channel === channel) this.#channels.delete(addr);
    for (const l of this.#closeListeners) {
      try {
        l(ch);
      } catch (e) {
        this.#log.error({ err: errorMessage(e) }, 'channel close listener threw');
      }
    }
  }
}
