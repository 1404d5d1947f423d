/**
 * One error type for the whole project. `code` is a stable string from ERROR_CODES (safe to switch on),
 * `retriable` says whether repeating the operation may succeed, `responseCode` carries a broker/namesrv reply code.
 */
export const ERROR_CODES = {
  /** A frame or header on the wire could not be decoded. */
  PROTOCOL: 'ERR_ROCKETMQ_PROTOCOL',
  /** A request header misses a required field or holds a value of the wrong type. */
  INVALID_HEADER: 'ERR_ROCKETMQ_INVALID_HEADER',
  /** An argument given by the caller is not acceptable. */
  INVALID_ARGUMENT: 'ERR_ROCKETMQ_INVALID_ARGUMENT',
  /** No reply within the request timeout. */
  TIMEOUT: 'ERR_ROCKETMQ_TIMEOUT',
  /** The connection closed or could not be opened. */
  CONNECTION: 'ERR_ROCKETMQ_CONNECTION',
  /** The remote side answered with a non-success response code. */
  BROKER_RESPONSE: 'ERR_ROCKETMQ_BROKER_RESPONSE',
  /** The component is shut down or not started. */
  NOT_RUNNING: 'ERR_ROCKETMQ_NOT_RUNNING',
  /** Store-level failure: corrupt data, I/O error, lock held by another process. */
  STORE: 'ERR_ROCKETMQ_STORE',
  /** A configuration value is invalid. */
  CONFIG: 'ERR_ROCKETMQ_CONFIG',
  /** The operation was aborted by an AbortSignal. */
  ABORTED: 'ERR_ROCKETMQ_ABORTED',
  /** Anything else: a bug. */
  INTERNAL: 'ERR_ROCKETMQ_INTERNAL',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface RocketMQErrorOptions {
  retriable?: boolean;
  responseCode?: number;
  cause?: unknown;
}

export class RocketMQError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly responseCode: number | undefined;

  constructor(code: ErrorCode, message: string, options: RocketMQErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RocketMQError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.responseCode = options.responseCode;
  }
}

export function isRocketMQError(e: unknown): e is RocketMQError {
  return e instanceof RocketMQError;
}

/** Message of any thrown value, for logs and remarks. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
