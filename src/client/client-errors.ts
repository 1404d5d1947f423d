// Turning broker / NameServer replies into RocketMQError.
import { ERROR_CODES, RocketMQError } from '../common/errors.ts';
import type { RemotingCommand } from '../remoting/protocol/remoting-command.ts';
import { ResponseCode, responseCodeName } from '../remoting/protocol/response-code.ts';

/** Codes after which Java's producer tries another broker (DefaultMQProducer.retryResponseCodes, PROTOCOL.md §2.2). */
export const DEFAULT_RETRY_RESPONSE_CODES: readonly number[] = [
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.SYSTEM_BUSY,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
  ResponseCode.GO_AWAY,
];

/** BROKER_RESPONSE error for a non-success reply; `retriable` when the code is in `retriableCodes`. */
export function responseError(
  what: string,
  response: RemotingCommand,
  retriableCodes: readonly number[] = DEFAULT_RETRY_RESPONSE_CODES,
): RocketMQError {
  const remark = response.remark ? `: ${response.remark}` : '';
  return new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `${what} failed with ${responseCodeName(response.code)}${remark}`, {
    responseCode: response.code,
    retriable: retriableCodes.includes(response.code),
  });
}

/** True for errors of the connection itself (no reply): the peer may be down. */
export function isTransportError(e: unknown): boolean {
  return e instanceof RocketMQError && (e.code === ERROR_CODES.CONNECTION || e.code === ERROR_CODES.TIMEOUT);
}
