// Reply helpers shared by the NameServer processors.
//
// Bad input policy (the one place it is decided): a request header that misses a required field or
// holds a malformed value (HeaderCodec throws RocketMQError INVALID_HEADER), or a body that cannot be parsed
// (RocketMQError PROTOCOL), is answered with 1 SYSTEM_ERROR and a remark naming the header/body and the field. This is
// what a Java NameServer answers for the same input (its header/body decode exceptions surface as SYSTEM_ERROR).
import { ERROR_CODES, errorMessage, isRocketMQError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { requestCodeName } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../remoting/protocol/remoting-command.ts';
import type { NamesrvHandler } from './namesrv-context.ts';

export function ok(req: RemotingCommand, extFields?: ExtFields, body?: Buffer): RemotingCommand {
  return RemotingCommand.responseTo(req, ResponseCode.SUCCESS, undefined, extFields, body);
}

export function fail(req: RemotingCommand, code: number, remark: string): RemotingCommand {
  return RemotingCommand.responseTo(req, code, remark);
}

/** Wrap a handler so that bad input becomes 1 SYSTEM_ERROR with a precise remark instead of a thrown error. */
export function guarded(handler: NamesrvHandler, log: Logger): NamesrvHandler {
  return (req, channel) => {
    try {
      return handler(req, channel);
    } catch (e) {
      if (isRocketMQError(e) && (e.code === ERROR_CODES.INVALID_HEADER || e.code === ERROR_CODES.PROTOCOL)) {
        log.warn({ code: requestCodeName(req.code), from: channel.remoteAddress, reason: e.message }, 'bad request');
        return fail(req, ResponseCode.SYSTEM_ERROR, e.message);
      }
      log.error({ code: requestCodeName(req.code), from: channel.remoteAddress, err: e }, 'request failed');
      return fail(req, ResponseCode.SYSTEM_ERROR, `${requestCodeName(req.code)} failed: ${errorMessage(e)}`);
    }
  };
}
