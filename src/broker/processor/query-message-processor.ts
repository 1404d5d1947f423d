// QUERY_MESSAGE 12 (by KEYS or UNIQ_KEY through the index) and VIEW_MESSAGE_BY_ID 33 (by commit-log offset decoded
// from an offsetMsgId) (PROTOCOL.md §2.2, §6; Java QueryMessageProcessor). Bodies are raw stored records.
import {
  QueryMessageRequestHeader,
  QueryMessageResponseHeader,
  ViewMessageRequestHeader,
} from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import type { BrokerContext } from './broker-context.ts';
import { fail, guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

export class QueryMessageProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.QUERY_MESSAGE, (req) => this.queryMessage(req)],
      [RequestCode.VIEW_MESSAGE_BY_ID, (req) => this.viewMessageById(req)],
    ]);
  }

  queryMessage(req: RemotingCommand): RemotingCommand {
    const h = QueryMessageRequestHeader.decode(req.extFields);
    if (h.key === '') throw reject(ResponseCode.INVALID_PARAMETER, 'query key is empty');
    if (h.maxNum <= 0) throw reject(ResponseCode.INVALID_PARAMETER, `maxNum must be positive, got ${h.maxNum}`);
    const cfg = this.#ctx.messageStoreConfig;
    const maxNum = h._UNIQUE_KEY_QUERY === true ? cfg.defaultQueryMaxNum : Math.min(h.maxNum, cfg.maxMsgsNumBatch);
    const r = this.#ctx.store.queryMessage(h.topic, h.key, maxNum, h.beginTimestamp, h.endTimestamp);
    const ext = QueryMessageResponseHeader.encode({
      indexLastUpdateTimestamp: r.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: r.indexLastUpdatePhyoffset,
    });
    if (r.messages.length === 0) {
      const res = fail(req, ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct');
      res.extFields = ext;
      return res;
    }
    return ok(req, ext, Buffer.concat(r.messages));
  }

  viewMessageById(req: RemotingCommand): RemotingCommand {
    const h = ViewMessageRequestHeader.decode(req.extFields);
    const rec = h.offset < 0 ? undefined : this.#ctx.store.lookMessageByOffset(h.offset);
    if (rec === undefined) return fail(req, ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${h.offset}`);
    return ok(req, undefined, rec);
  }
}
