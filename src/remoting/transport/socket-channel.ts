// One TCP connection carrying RemotingCommands in both directions (PROTOCOL.md §1.4, §1.7).
// Requests we send wait in an opaque → pending map; requests the peer sends go to `onRequest`. Writes put the encoded
// header and the body into the socket separately under cork (one writev per tick), and stop at socket back-pressure:
// later writes wait in a queue until 'drain'.
import type { Socket } from 'node:net';
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { FrameDecoder } from '../frame/frame-decoder.ts';
import { decodeFrame, encodeHeader, encodedFrameLength } from '../protocol/remoting-codec.ts';
import type { RemotingCommand } from '../protocol/remoting-command.ts';
import type { RemotingChannel } from './types.ts';

export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
/** Bytes we queue on top of the socket's own buffer before giving up on a peer that does not read. */
export const DEFAULT_MAX_PENDING_WRITE_BYTES = 256 * 1024 * 1024;
/** After close(): how long queued bytes may take to flush before the socket is destroyed. */
export const CLOSE_GRACE_MS = 3_000;
/** Up to this many bytes written in one tick are copied into one buffer for a single socket write. */
const SMALL_BATCH_BYTES = 64 * 1024;

export interface SocketChannelOptions {
  logger: Logger;
  /** Receives every request (not response) the peer sends. Must not throw. */
  onRequest: (request: RemotingCommand, channel: SocketChannel) => void;
  /** Close after this long without reads or writes; 0 disables. Default 120 s (§1.7). */
  idleTimeoutMs?: number;
  /** Max value of an incoming frame's length field; also refuses to send larger frames. Default 16 MiB. */
  maxFrameLength?: number;
  /** Queued write bytes (beyond the socket's buffer) that make us close the connection. */
  maxPendingWriteBytes?: number;
}

interface Pending {
  resolve: (response: RemotingCommand) => void;
  reject: (error: RocketMQError) => void;
  timer: ReturnType<typeof setTimeout>;
  code: number;
}

type WriteCallback = (error?: Error | null) => void;

interface QueuedWrite {
  header: Buffer;
  body: Buffer | undefined;
  callback: WriteCallback | undefined;
}

let channelSeq = 0;

/** "ip:port" with IPv4-mapped IPv6 shown as plain IPv4 and IPv6 in brackets. */
export function formatAddress(address: string | undefined, port: number | undefined): string {
  if (!address) return `unknown:${port ?? 0}`;
  const a = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return a.includes(':') ? `[${a}]:${port ?? 0}` : `${a}:${port ?? 0}`;
}

export class SocketChannel implements RemotingChannel {
  readonly id: string;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly maxFrameLength: number;
  #socket: Socket;
  #decoder: FrameDecoder;
  #log: Logger;
  #onRequest: SocketChannelOptions['onRequest'];
  #pending = new Map<number, Pending>();
  #closed = false;
  #closeReason = '';
  #closeListeners: Array<(channel: RemotingChannel) => void> = [];
  #socketClosed: Promise<void>;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Chunks written this tick, handed to the socket together on the next tick (#flushBatch). */
  #batch: Buffer[] = [];
  #batchBytes = 0;
  #batchCallbacks: WriteCallback[] = [];
  #flushScheduled = false;
  #queue: Array<QueuedWrite | undefined> = [];
  #queueHead = 0;
  #queuedBytes = 0;
  #maxPendingWriteBytes: number;

  constructor(socket: Socket, options: SocketChannelOptions) {
    this.#socket = socket;
    this.id = `ch-${++channelSeq}`;
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.#decoder = new FrameDecoder({ maxFrameLength: options.maxFrameLength });
    this.maxFrameLength = this.#decoder.maxFrameLength;
    this.#log = options.logger.child({ channel: this.id, remote: this.remoteAddress });
    this.#onRequest = options.onRequest;
    this.#maxPendingWriteBytes = options.maxPendingWriteBytes ?? DEFAULT_MAX_PENDING_WRITE_BYTES;

    socket.setNoDelay(true);
    this.#socketClosed = new Promise((resolve) => {
      socket.once('close', () => {
        if (this.#graceTimer) clearTimeout(this.#graceTimer);
        this.#markClosed(this.#closeReason || 'connection closed by peer');
        resolve();
      });
    });
    socket.on('data', this.#onData);
    socket.on('drain', this.#onDrain);
    socket.on('error', (e: Error) => {
      if (!this.#closeReason) this.#closeReason = `socket error: ${e.message}`;
      this.#log.debug({ err: e.message }, 'socket error');
    });
    socket.on('end', () => {
      if (!this.#closeReason) this.#closeReason = 'connection closed by peer';
    });
    const idle = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    if (idle > 0) {
      socket.setTimeout(idle, () => {
        this.#log.info({ idleMs: idle }, 'closing idle connection');
        this.close(`idle for ${idle} ms`);
      });
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Why the channel closed ('' while open). */
  get closeReason(): string {
    return this.#closed ? this.#closeReason : '';
  }

  /** Requests sent and not yet answered. */
  get pendingRequests(): number {
    return this.#pending.size;
  }

  /** False while writes are held back by socket back-pressure; see whenWritable(). */
  get writable(): boolean {
    return !this.#closed && this.#queueHead === this.#queue.length && !this.#socket.writableNeedDrain;
  }

  /** Resolves once the socket accepts writes without queueing (or the channel closed). */
  whenWritable(): Promise<void> {
    if (this.writable || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.writable || this.#closed) {
          this.#socket.off('drain', check);
          this.#socket.off('close', check);
          resolve();
        }
      };
      this.#socket.on('drain', check);
      this.#socket.on('close', check);
    });
  }

  /** Resolves when the underlying socket has fully closed. */
  whenClosed(): Promise<void> {
    return this.#socketClosed;
  }

  invoke(request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (this.#closed) return Promise.reject(this.#connectionError(request.code));
    const opaque = request.opaque;
    if (this.#pending.has(opaque)) {
      return Promise.reject(
        new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `opaque ${opaque} is already waiting for a reply on ${this.remoteAddress}`),
      );
    }
    return new Promise<RemotingCommand>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(opaque);
        reject(
          new RocketMQError(
            ERROR_CODES.TIMEOUT,
            `request code=${request.code} opaque=${opaque} to ${this.remoteAddress} got no reply within ${timeoutMs} ms`,
            { retriable: true },
          ),
        );
      }, timeoutMs);
      this.#pending.set(opaque, { resolve, reject, timer, code: request.code });
      try {
        this.#send(request, undefined);
      } catch (e) {
        clearTimeout(timer);
        this.#pending.delete(opaque);
        reject(e);
      }
    });
  }

  invokeOneway(request: RemotingCommand): void {
    request.markOneway();
    if (this.#closed) {
      this.#log.debug({ code: request.code }, 'oneway request dropped: channel closed');
      return;
    }
    this.#send(request, undefined);
  }

  /** Write a command; resolves once the socket has flushed it. Rejects with CONNECTION if the channel closes first. */
  writeAsync(command: RemotingCommand): Promise<void> {
    if (this.#closed) return Promise.reject(this.#connectionError(command.code));
    return new Promise((resolve, reject) => {
      this.#send(command, (e) => {
        if (e) reject(e instanceof RocketMQError ? e : this.#connectionError(command.code, e));
        else resolve();
      });
    });
  }

  write(command: RemotingCommand): void {
    if (this.#closed) {
      this.#log.debug({ code: command.code, opaque: command.opaque }, 'write dropped: channel closed');
      return;
    }
    this.#send(command, undefined);
  }

  close(reason = 'closed locally'): void {
    if (this.#closed) return;
    this.#closeReason = reason;
    this.#markClosed(reason);
    // Flush what is queued (ignoring back-pressure: nothing more will come), then FIN; destroy if the peer stalls.
    this.#flushBatch();
    this.#flushQueue(true);
    this.#flushBatch();
    this.#socket.end();
    this.#graceTimer = setTimeout(() => this.#socket.destroy(), CLOSE_GRACE_MS);
    this.#graceTimer.unref();
  }

  /** Close at once, dropping queued writes (protocol violation, overflow). */
  destroy(reason: string): void {
    if (!this.#closed) this.#closeReason = reason;
    this.#socket.destroy();
    this.#markClosed(reason);
  }

  onClose(listener: (channel: RemotingChannel) => void): void {
    if (this.#closed) queueMicrotask(() => listener(this));
    else this.#closeListeners.push(listener);
  }

  toString(): string {
    return `${this.id}(${this.remoteAddress})`;
  }

  // ---- reading ------------------------------------------------------------------------------------------------------

  #onData = (chunk: Buffer): void => {
    if (this.#closed) return;
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      this.#protocolFailure(e);
      return;
    }
    for (const frame of frames) {
      let cmd: RemotingCommand;
      try {
        cmd = decodeFrame(frame);
      } catch (e) {
        this.#protocolFailure(e);
        return;
      }
      if (cmd.isResponse) this.#onResponse(cmd);
      else {
        try {
          this.#onRequest(cmd, this);
        } catch (e) {
          this.#log.error({ err: errorMessage(e), code: cmd.code }, 'request dispatch threw');
        }
      }
      if (this.#closed) return;
    }
  };

  #onResponse(response: RemotingCommand): void {
    const p = this.#pending.get(response.opaque);
    if (!p) {
      this.#log.warn({ opaque: response.opaque, code: response.code }, 'response matches no pending request; dropped');
      return;
    }
    this.#pending.delete(response.opaque);
    clearTimeout(p.timer);
    p.resolve(response);
  }

  #protocolFailure(e: unknown): void {
    const reason = `protocol error: ${errorMessage(e)}`;
    this.#log.warn({ reason }, 'closing connection after undecodable input');
    this.destroy(reason);
  }

  // ---- writing ------------------------------------------------------------------------------------------------------

  /** Encode and write (or queue) a command. Throws RocketMQError on an unencodable or oversize command. */
  #send(cmd: RemotingCommand, callback: WriteCallback | undefined): void {
    const header = encodeHeader(cmd);
    const length = encodedFrameLength(header);
    if (length > this.maxFrameLength) {
      throw new RocketMQError(
        ERROR_CODES.INVALID_ARGUMENT,
        `frame of ${length} bytes (code=${cmd.code}) exceeds the maximum frame length ${this.maxFrameLength}`,
      );
    }
    const body = cmd.body && cmd.body.length > 0 ? cmd.body : undefined;
    if (this.#queueHead < this.#queue.length || this.#socket.writableNeedDrain) {
      this.#queue.push({ header, body, callback });
      this.#queuedBytes += header.length + (body?.length ?? 0);
      if (this.#queuedBytes > this.#maxPendingWriteBytes) {
        const reason = `peer is not reading: ${this.#queuedBytes} bytes queued for writing`;
        this.#log.warn({ reason }, 'closing connection');
        this.destroy(reason);
      }
      return;
    }
    this.#writeNow(header, body, callback);
  }

  // Writes of one tick go to the socket together: small frames (every reply header) are copied into one buffer and
  // written once, instead of one stream write each plus a writev of dozens of tiny iovecs; large bodies are not copied.
  #writeNow(header: Buffer, body: Buffer | undefined, callback: WriteCallback | undefined): void {
    this.#batch.push(header);
    this.#batchBytes += header.length;
    if (body) {
      this.#batch.push(body);
      this.#batchBytes += body.length;
    }
    if (callback) this.#batchCallbacks.push(callback);
    if (this.#batchBytes >= this.#socket.writableHighWaterMark) {
      this.#flushBatch(); // let the socket see the bytes now, so back-pressure (writableNeedDrain) applies
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flushBatch);
    }
  }

  #flushBatch = (): void => {
    this.#flushScheduled = false;
    const chunks = this.#batch;
    if (chunks.length === 0) return;
    const total = this.#batchBytes;
    const callbacks = this.#batchCallbacks;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#batchCallbacks = [];
    const socket = this.#socket;
    if (socket.destroyed || socket.writableEnded) {
      const err = this.#connectionError(0);
      for (const cb of callbacks) cb(err);
      return;
    }
    const done: WriteCallback | undefined =
      callbacks.length === 0
        ? undefined
        : callbacks.length === 1
          ? callbacks[0]
          : (e) => {
              for (const cb of callbacks) cb(e);
            };
    if (chunks.length === 1) {
      socket.write(chunks[0], done);
    } else if (total <= SMALL_BATCH_BYTES) {
      socket.write(Buffer.concat(chunks, total), done);
    } else {
      socket.cork();
      const last = chunks.length - 1;
      for (let i = 0; i < last; i++) socket.write(chunks[i]);
      socket.write(chunks[last], done);
      socket.uncork();
    }
  };

  #onDrain = (): void => {
    this.#flushQueue(false);
  };

  #flushQueue(ignoreBackPressure: boolean): void {
    while (this.#queueHead < this.#queue.length && (ignoreBackPressure || !this.#socket.writableNeedDrain)) {
      const w = this.#queue[this.#queueHead] as QueuedWrite;
      this.#queue[this.#queueHead++] = undefined;
      this.#queuedBytes -= w.header.length + (w.body?.length ?? 0);
      this.#writeNow(w.header, w.body, w.callback);
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
  }

  // ---- closing ------------------------------------------------------------------------------------------------------

  #connectionError(code: number, cause?: unknown): RocketMQError {
    const why = this.#closeReason || 'connection closed';
    return new RocketMQError(ERROR_CODES.CONNECTION, `request code=${code} to ${this.remoteAddress} failed: ${why}`, {
      retriable: true,
      cause,
    });
  }

  #markClosed(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#closeReason) this.#closeReason = reason;
    this.#log.debug({ reason: this.#closeReason }, 'channel closed');
    for (const [opaque, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(opaque);
      p.reject(this.#connectionError(p.code));
    }
    // Queued writes will never be sent once the socket is destroyed; tell their owners.
    if (this.#socket.destroyed) this.#dropQueue();
    this.#decoder.reset();
    const listeners = this.#closeListeners;
    this.#closeListeners = [];
    for (const l of listeners) {
      try {
        l(this);
      } catch (e) {
        this.#log.error({ err: errorMessage(e) }, 'close listener threw');
      }
    }
  }

  #dropQueue(): void {
    const err = this.#connectionError(0);
    const batched = this.#batchCallbacks;
    this.#batch = [];
    this.#batchBytes = 0;
    this.#batchCallbacks = [];
    for (const cb of batched) cb(err);
    for (let i = this.#queueHead; i < this.#queue.length; i++) this.#queue[i]?.callback?.(err);
    this.#queue = [];
    this.#queueHead = 0;
    this.#queuedBytes = 0;
  }
}
