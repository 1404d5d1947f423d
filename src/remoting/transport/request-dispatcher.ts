// Routes incoming requests to handlers by request code and writes the replies, with the framework replies of
// PROTOCOL.md §1.5: unknown code → 3, handler threw → 1, too many requests in flight → 2. Oneway requests (§1.4) are
// never answered. Used by both RemotingServer and RemotingClient (server-initiated requests).
import { errorMessage, isRocketMQError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { RemotingCommand, SerializeType } from '../protocol/remoting-command.ts';
import { ResponseCode } from '../protocol/response-code.ts';
import type { RemotingChannel, RequestHandler } from './types.ts';

export const DEFAULT_MAX_INFLIGHT_REQUESTS = 65_536;
export const OVERLOAD_REMARK = '[OVERLOAD]system busy, start flow control for a while';

export interface RequestDispatcherOptions {
  logger: Logger;
  /** Handlers running (not yet returned/settled) above which requests get 2 SYSTEM_BUSY. */
  maxInflightRequests?: number;
}

type HandlerResult = RemotingCommand | null | undefined;

function isPromiseLike(v: unknown): v is PromiseLike<HandlerResult> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export class RequestDispatcher {
  #handlers = new Map<number, RequestHandler>();
  #defaultHandler: RequestHandler | undefined;
  #inflight = 0;
  #maxInflight: number;
  #log: Logger;

  constructor(options: RequestDispatcherOptions) {
    this.#log = options.logger;
    this.#maxInflight = options.maxInflightRequests ?? DEFAULT_MAX_INFLIGHT_REQUESTS;
  }

  /** Handlers currently running. */
  get inflight(): number {
    return this.#inflight;
  }

  /** Register (or replace) the handler of one request code. */
  registerHandler(code: number, handler: RequestHandler): void {
    this.#handlers.set(code, handler);
  }

  /** Handler for codes without their own handler (instead of replying 3). */
  setDefaultHandler(handler: RequestHandler): void {
    this.#defaultHandler = handler;
  }

  /** Run the handler of `request` and write its reply on `channel`. Never throws. */
  dispatch(request: RemotingCommand, channel: RemotingChannel): void {
    const handler = this.#handlers.get(request.code) ?? this.#defaultHandler;
    if (!handler) {
      this.#log.warn({ code: request.code, remote: channel.remoteAddress }, 'request code not supported');
      this.#reply(request, channel, this.#frameworkReply(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`));
      return;
    }
    if (this.#inflight >= this.#maxInflight) {
      this.#log.warn({ code: request.code, inflight: this.#inflight }, 'too many requests in flight; replying SYSTEM_BUSY');
      this.#reply(request, channel, this.#frameworkReply(request, ResponseCode.SYSTEM_BUSY, OVERLOAD_REMARK));
      return;
    }
    this.#inflight++;
    let result: ReturnType<RequestHandler>;
    try {
      result = handler(request, channel);
    } catch (e) {
      this.#inflight--;
      this.#failed(request, channel, e);
      return;
    }
    if (isPromiseLike(result)) {
      result.then(
        (reply) => {
          this.#inflight--;
          this.#reply(request, channel, reply);
        },
        (e: unknown) => {
          this.#inflight--;
          this.#failed(request, channel, e);
        },
      );
    } else {
      this.#inflight--;
      this.#reply(request, channel, result);
    }
  }

  #frameworkReply(request: RemotingCommand, code: number, remark: string): RemotingCommand {
    return RemotingCommand.responseTo(request, code, remark);
  }

  #failed(request: RemotingCommand, channel: RemotingChannel, e: unknown): void {
    this.#log.error({ code: request.code, err: errorMessage(e), remote: channel.remoteAddress }, 'request handler failed');
    // A RocketMQError carrying a response code (e.g. 17 TOPIC_NOT_EXIST) is answered with that code.
    const code = isRocketMQError(e) && e.responseCode !== undefined ? e.responseCode : ResponseCode.SYSTEM_ERROR;
    this.#reply(request, channel, this.#frameworkReply(request, code, errorMessage(e)));
  }

  #reply(request: RemotingCommand, channel: RemotingChannel, reply: HandlerResult): void {
    if (reply === null || reply === undefined) return;
    if (request.isOneway) {
      this.#log.debug({ code: request.code }, 'reply to a oneway request dropped');
      return;
    }
    reply.opaque = request.opaque;
    reply.markResponse();
    reply.serializeType = SerializeType.JSON; // always JSON replies (§12.1)
    try {
      channel.write(reply);
    } catch (e) {
      // Unencodable or oversize reply: tell the peer rather than leave it waiting.
      this.#log.error({ code: request.code, err: errorMessage(e) }, 'reply could not be written');
      if (reply.code === ResponseCode.SYSTEM_ERROR && reply.body === undefined) return;
      try {
        channel.write(this.#frameworkReply(request, ResponseCode.SYSTEM_ERROR, `reply could not be sent: ${errorMessage(e)}`));
      } catch (e2) {
        this.#log.error({ err: errorMessage(e2) }, 'error reply could not be written either');
      }
    }
  }
}
