// A listening remoting endpoint (namesrv, broker): accepts connections, dispatches requests by code, tracks channels.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import { RequestDispatcher } from './request-dispatcher.ts';
import { SocketChannel, formatAddress } from './socket-channel.ts';
import type { RemotingChannel, RequestHandler } from './types.ts';

export interface RemotingServerOptions {
  /** Interface to bind; default all IPv4 interfaces ("0.0.0.0"). */
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  /** Close connections idle this long; default 120 s (§1.7); 0 disables. */
  idleTimeoutMs?: number;
  /** For logs. */
  name?: string;
  /** Handlers running at once above which requests get 2 SYSTEM_BUSY. */
  maxInflightRequests?: number;
  /** Max value of a frame's length field; default 16 MiB. */
  maxFrameLength?: number;
}

export class RemotingServer {
  #options: RemotingServerOptions;
  #log: Logger;
  #dispatcher: RequestDispatcher;
  #server: Server | undefined;
  #channels = new Set<SocketChannel>();
  #openListeners: Array<(channel: RemotingChannel) => void> = [];
  #closeListeners: Array<(channel: RemotingChannel) => void> = [];
  #port = 0;
  #host: string;
  #shuttingDown = false;

  constructor(options: RemotingServerOptions = {}) {
    this.#options = options;
    this.#host = options.host ?? '0.0.0.0';
    this.#log = createLogger('remoting-server').child({ server: options.name ?? 'remoting' });
    this.#dispatcher = new RequestDispatcher({ logger: this.#log, maxInflightRequests: options.maxInflightRequests });
  }

  registerHandler(code: number, handler: RequestHandler): void {
    this.#dispatcher.registerHandler(code, handler);
  }

  setDefaultHandler(handler: RequestHandler): void {
    this.#dispatcher.setDefaultHandler(handler);
  }

  start(): Promise<void> {
    if (this.#server) return Promise.reject(new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'server already started'));
    const server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    this.#server = server;
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        this.#server = undefined;
        reject(new RocketMQError(ERROR_CODES.CONNECTION, `cannot listen on ${this.#host}:${this.#options.port ?? 0}: ${e.message}`, { cause: e }));
      };
      server.once('error', onError);
      server.listen(this.#options.port ?? 0, this.#host, () => {
        server.off('error', onError);
        server.on('error', (e) => this.#log.error({ err: e.message }, 'server socket error'));
        const a = server.address();
        this.#port = typeof a === 'object' && a !== null ? a.port : 0;
        this.#log.info({ address: this.address }, 'listening');
        resolve();
      });
    });
  }

  /** Bound port (after start). */
  get port(): number {
    return this.#port;
  }

  /** "host:port" as bound. */
  get address(): string {
    return formatAddress(this.#host, this.#port);
  }

  channels(): Iterable<RemotingChannel> {
    return this.#channels.values();
  }

  onChannelOpen(listener: (channel: RemotingChannel) => void): void {
    this.#openListeners.push(listener);
  }

  onChannelClose(listener: (channel: RemotingChannel) => void): void {
    this.#closeListeners.push(listener);
  }

  /** Stop accepting, close every channel (queued replies are flushed first), wait until all sockets are gone. */
  async shutdown(): Promise<void> {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    const server = this.#server;
    const serverClosed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    const sockets: Promise<void>[] = [];
    for (const ch of this.#channels) {
      ch.close('server shutdown');
      sockets.push(ch.whenClosed());
    }
    await Promise.all(sockets);
    await serverClosed;
    this.#log.info({ address: this.address }, 'shut down');
  }

  #accept(socket: Socket): void {
    if (this.#shuttingDown) {
      socket.destroy();
      return;
    }
    const channel = new SocketChannel(socket, {
      logger: this.#log,
      onRequest: (req, ch) => this.#dispatcher.dispatch(req, ch),
      idleTimeoutMs: this.#options.idleTimeoutMs,
      maxFrameLength: this.#options.maxFrameLength,
    });
    this.#channels.add(channel);
    this.#log.debug({ channel: channel.id, remote: channel.remoteAddress }, 'connection accepted');
    channel.onClose((ch) => {
      this.#channels.delete(channel);
      this.#notify(this.#closeListeners, ch);
    });
    this.#notify(this.#openListeners, channel);
  }

  #notify(listeners: Array<(channel: RemotingChannel) => void>, channel: RemotingChannel): void {
    for (const l of listeners) {
      try {
        l(channel);
      } catch (e) {
        this.#log.error({ err: errorMessage(e) }, 'channel listener threw');
      }
    }
  }
}
