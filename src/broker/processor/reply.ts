// Reply helpers shared by the broker processors.
//
// Bad input policy: a request header missing a required field or holding a malformed value (HeaderCodec throws
// RocketMQError INVALID_HEADER) or an unparsable body (PROTOCOL) is answered with 1 SYSTEM_ERROR and a remark naming the
// header and field, as a Java broker answers a RemotingCommandException. A processor that wants a specific code throws
// `reject(code, remark)`; anything else unexpected is 1 SYSTEM_ERROR with the reason.
import { ERROR_CODES, RocketMQError, errorMessage, isRocketMQError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { requestCodeName } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';

export function ok(req: RemotingCommand, extFields?: ExtFields, body?: Buffer): RemotingCommand {
  return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, extFields, body);
}

export function fail(req: RemotingCommand, code: number, remark: string, extFields?: ExtFields): RemotingCommand {
  return RemotingCommand.responseTo(req, code, remark, extFields);
}

/** An error that `guarded` turns into a reply with `code` and `remark`. */
export function reject(code: number, remark: string): RocketMQError {
  return new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, remark, { responseCode: code });
}

function replyFor(req: RemotingCommand, e: unknown, log: Logger, from: string): RemotingCommand {
  if (isRocketMQError(e) && e.responseCode !== undefined) {
    log.debug({ code: requestCodeName(req.code), from, reply: e.responseCode, reason: e.message }, 'request refused');
    return fail(req, e.responseCode, e.message);
  }
  if (isRocketMQError(e) && (e.code === ERROR_CODES.INVALID_HEADER || e.code === ERROR_CODES.PROTOCOL)) {
    log.warn({ code: requestCodeName(req.code), from, reason: e.message }, 'bad request');
    return fail(req, ResponseCode.SYSTEM_ERROR, e.message);
  }
  log.error({ code: requestCodeName(req.code), from, err: errorMessage(e) }, 'request failed');
  return fail(req, ResponseCode.SYSTEM_ERROR, `${requestCodeName(req.code)} failed: ${errorMessage(e)}`);
}

/** Wraps a handler so thrown errors become precise replies (see the policy above); sync stays sync. */
export function guarded(handler: RequestHandler, log: Logger): RequestHandler {
  return (req, channel) => {
    try {
      const r = handler(req, channel);
      if (r instanceof Promise) return r.catch((e: unknown) => replyFor(req, e, log, channel.remoteAddress));
      return r;
    } catch (e) {
      return replyFor(req, e, log, channel.remoteAddress);
    }
  };
}

/** A processor's routing table: each `[code, handler]` pair with its handler wrapped in `guarded`. */
export function guardedRoutes(log: Logger, routes: ReadonlyArray<readonly [number, RequestHandler]>): Array<[number, RequestHandler]> {
  return routes.map(([code, handler]) => [code, guarded(handler, log)]);
}

/** A processor: a set of handlers by request code. */
export interface BrokerProcessor {
  handlers(): Array<[number, RequestHandler]>;
}
