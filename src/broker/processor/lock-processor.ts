// LOCK_BATCH_MQ 41 / UNLOCK_BATCH_MQ 42 (PROTOCOL.md §2.2, §4.6; Java AdminBrokerProcessor.lockBatchMQ/unlockBatchMQ):
// queue locks for ordered consumption, held in the RebalanceLockManager. The lock reply lists the queues actually
// locked for the requesting clientId. A single broker has no replicas to forward to, so onlyThisBroker is moot.
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel, RequestHandler } from '../../remoting/transport/types.ts';
import { decodeLockBatchRequestBody, encodeLockBatchResponseBody } from '../../remoting/protocol/body/lock-batch-body.ts';
import type { RebalanceLockManager } from '../rebalance/rebalance-lock-manager.ts';
import type { BrokerContext } from './broker-context.ts';
import { guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';

export class LockProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;
  readonly #locks: RebalanceLockManager;

  constructor(ctx: BrokerContext, locks: RebalanceLockManager) {
    this.#ctx = ctx;
    this.#locks = locks;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [
      [RequestCode.LOCK_BATCH_MQ, (req, ch) => this.lockBatch(req, ch)],
      [RequestCode.UNLOCK_BATCH_MQ, (req) => this.unlockBatch(req)],
    ]);
  }

  lockBatch(req: RemotingCommand, channel: RemotingChannel): RemotingCommand {
    const body = decodeLockBatchRequestBody(req.body);
    if (body.clientId === '') throw reject(ResponseCode.INVALID_PARAMETER, 'LockBatchRequestBody: clientId is empty');
    const locked = this.#locks.tryLockBatch(body.consumerGroup, body.mqSet, body.clientId, channel.id);
    if (locked.length < body.mqSet.length) {
      this.#ctx.log.debug(
        { group: body.consumerGroup, clientId: body.clientId, asked: body.mqSet.length, locked: locked.length },
        'some queues are locked by another client',
      );
    }
    return ok(req, undefined, encodeLockBatchResponseBody(locked));
  }

  unlockBatch(req: RemotingCommand): RemotingCommand {
    const body = decodeLockBatchRequestBody(req.body, 'UnlockBatchRequestBody');
    this.#locks.unlockBatch(body.consumerGroup, body.mqSet, body.clientId);
    return ok(req);
  }
}
