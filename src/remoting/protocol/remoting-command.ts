// The in-memory RemotingCommand (PROTOCOL.md §1). Encoding/decoding lives in remoting-codec.ts.
import type { LanguageCode } from './language-code.ts';
import { CURRENT_VERSION } from './version.ts';

export const SerializeType = { JSON: 0, ROCKETMQ: 1 } as const;
export type SerializeType = (typeof SerializeType)[keyof typeof SerializeType];

/** flag bits (§1.4). */
export const RPC_TYPE_RESPONSE = 1;
export const RPC_ONEWAY = 2;

export type ExtFields = Record<string, string>;

export interface RemotingCommandInit {
  code: number;
  language?: LanguageCode;
  version?: number;
  opaque?: number;
  flag?: number;
  remark?: string | undefined;
  extFields?: ExtFields | undefined;
  body?: Buffer | undefined;
  serializeType?: SerializeType;
}

let nextOpaque = 0;

/** Per-process request id counter (Java starts at 0 and increments; wraps inside int32). */
export function newOpaque(): number {
  nextOpaque = (nextOpaque + 1) | 0;
  if (nextOpaque < 0) nextOpaque = 0;
  return nextOpaque;
}

export class RemotingCommand {
  code: number;
  language: LanguageCode;
  version: number;
  opaque: number;
  flag: number;
  remark: string | undefined;
  /** Custom header: values are always strings once decoded (numbers/booleans from lenient senders are stringified). */
  extFields: ExtFields | undefined;
  body: Buffer | undefined;
  /** Serialization the command arrived in, or is to be sent in. Replies are always JSON. */
  serializeType: SerializeType;

  constructor(init: RemotingCommandInit) {
    this.code = init.code;
    this.language = init.language ?? 'JAVA';
    this.version = init.version ?? CURRENT_VERSION;
    this.opaque = init.opaque ?? 0;
    this.flag = init.flag ?? 0;
    this.remark = init.remark;
    this.extFields = init.extFields;
    this.body = init.body;
    this.serializeType = init.serializeType ?? SerializeType.JSON;
  }

  /** A new request with a fresh opaque. */
  static request(code: number, extFields?: ExtFields, body?: Buffer): RemotingCommand {
    return new RemotingCommand({ code, opaque: newOpaque(), extFields, body });
  }

  /** A reply to `req`: same opaque, response flag, JSON header, our version. */
  static responseTo(req: RemotingCommand, code: number, remark?: string, extFields?: ExtFields, body?: Buffer): RemotingCommand {
    return new RemotingCommand({ code, opaque: req.opaque, flag: RPC_TYPE_RESPONSE, remark, extFields, body });
  }

  get isResponse(): boolean {
    return (this.flag & RPC_TYPE_RESPONSE) !== 0;
  }

  get isOneway(): boolean {
    return (this.flag & RPC_ONEWAY) !== 0;
  }

  markOneway(): this {
    this.flag |= RPC_ONEWAY;
    return this;
  }

  markResponse(): this {
    this.flag |= RPC_TYPE_RESPONSE;
    return this;
  }

  /** Value of an extField, or undefined. */
  ext(name: string): string | undefined {
    return this.extFields?.[name];
  }
}
