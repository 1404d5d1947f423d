// SEARCH_OFFSET_BY_TIMESTAMP 29, GET_MAX_OFFSET 30, GET_MIN_OFFSET 31, GET_EARLIEST_MSG_STORETIME 32 (PROTOCOL.md §2.2;
// Java AdminBrokerProcessor). Unknown queues answer 0 (or -1 for the store time), as the Java store does.
import {
  GetEarliestMsgStoretimeRequestHeader,
  GetEarliestMsgStoretimeResponseHeader,
  GetMaxOffsetRequestHeader,
  GetMinOffsetRequestHeader,
  OffsetResponseHeader,
  SearchOffsetRequestHeader,
} from '../../remoting/protocol/headers/broker-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RequestHandler } from '../../remoting/transport/types.ts';
import { BoundaryType } from '../../store/consumequeue/consume-queue.ts';
import type { BrokerContext } from './broker-context.ts';
import { guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

function checkQueueId(topic: string, queueId: number): void {
  if (queueId < 0) throw reject(ResponseCode.INVALID_PARAMETER, `queueId[${queueId}] is illegal for topic ${topic}`);
}

export class QueueOffsetProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, (req) => this.searchOffsetByTimestamp(req)],
      [RequestCode.GET_MAX_OFFSET, (req) => this.getMaxOffset(req)],
      [RequestCode.GET_MIN_OFFSET, (req) => this.getMinOffset(req)],
      [RequestCode.GET_EARLIEST_MSG_STORETIME, (req) => this.getEarliestMsgStoretime(req)],
    ]);
  }

  searchOffsetByTimestamp(req: RemotingCommand): RemotingCommand {
    const h = SearchOffsetRequestHeader.decode(req.extFields);
    checkQueueId(h.topic, h.queueId);
    const b = (h.boundaryType ?? 'lower').toLowerCase();
    if (b !== 'lower' && b !== 'upper') {
      throw reject(ResponseCode.INVALID_PARAMETER, `boundaryType must be "lower" or "upper", got "${h.boundaryType ?? ''}"`);
    }
    const offset = this.#ctx.store.getOffsetInQueueByTime(h.topic, h.queueId, h.timestamp, b === 'upper' ? BoundaryType.UPPER : BoundaryType.LOWER);
    return ok(req, OffsetResponseHeader.encode({ offset }));
  }

  getMaxOffset(req: RemotingCommand): RemotingCommand {
    const h = GetMaxOffsetRequestHeader.decode(req.extFields);
    checkQueueId(h.topic, h.queueId);
    return ok(req, OffsetResponseHeader.encode({ offset: this.#ctx.store.getMaxOffsetInQueue(h.topic, h.queueId) }));
  }

  getMinOffset(req: RemotingCommand): RemotingCommand {
    const h = GetMinOffsetRequestHeader.decode(req.extFields);
    checkQueueId(h.topic, h.queueId);
    return ok(req, OffsetResponseHeader.encode({ offset: this.#ctx.store.getMinOffsetInQueue(h.topic, h.queueId) }));
  }

  getEarliestMsgStoretime(req: RemotingCommand): RemotingCommand {
    const h = GetEarliestMsgStoretimeRequestHeader.decode(req.extFields);
    checkQueueId(h.topic, h.queueId);
    const timestamp = this.#ctx.store.getEarliestMessageTime(h.topic, h.queueId);
    return ok(req, GetEarliestMsgStoretimeResponseHeader.encode({ timestamp }));
  }
}
