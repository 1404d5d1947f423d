// END_TRANSACTION 37 (PROTOCOL.md §2.2, §8.3; Java EndTransactionProcessor). Oneway from Java producers: the reply is
// built anyway and the transport drops it for oneway requests. Commit puts the half message to its real topic once
// and writes an op record; rollback writes the op record only; 0 (unknown) does nothing and gets no reply.
import { MessageConst, MessageSysFlag } from '../../common/message/message-const.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { EndTransactionRequestHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import type { RemotingChannel, RequestHandler } from '../../remoting/transport/types.ts';
import { BrokerRole } from '../config/broker-config.ts';
import { SystemTopic } from '../topic/topic-validator.ts';
import type { TransactionalMessageService } from '../transaction/transactional-message-service.ts';
import { checkImmunityMs, transactionKey } from '../transaction/transactional-message-util.ts';
import type { BrokerContext } from './broker-context.ts';
import { guardedRoutes, ok, reject } from './reply.ts';
import type { BrokerProcessor } from './reply.ts';
import { putStatusToReply } from './send-message-processor.ts';

export class EndTransactionProcessor implements BrokerProcessor {
  readonly #ctx: BrokerContext;
  readonly #svc: TransactionalMessageService;

  constructor(ctx: BrokerContext, svc: TransactionalMessageService) {
    this.#ctx = ctx;
    this.#svc = svc;
  }

  handlers(): Array<[number, RequestHandler]> {
    return guardedRoutes(this.#ctx.log, [[RequestCode.END_TRANSACTION, (req, ch) => this.processRequest(req, ch)]]);
  }

  async processRequest(req: RemotingCommand, channel: RemotingChannel): Promise<RemotingCommand | null> {
    const ctx = this.#ctx;
    if (ctx.brokerConfig.brokerRole === BrokerRole.SLAVE) {
      throw reject(ResponseCode.SLAVE_NOT_AVAILABLE, 'the broker is a slave: END_TRANSACTION must go to the master');
    }
    const h = EndTransactionRequestHeader.decode(req.extFields);
    const type = h.commitOrRollback;
    if (type !== MessageSysFlag.TRANSACTION_COMMIT_TYPE && type !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
      ctx.log.debug(
        { from: channel.remoteAddress, msgId: h.msgId, type, fromCheck: h.fromTransactionCheck, remark: req.remark },
        'END_TRANSACTION without a decision: left to the checker',
      );
      return null;
    }
    const half = this.#svc.lookup(h.commitLogOffset);
    if (half === undefined || half.topic !== SystemTopic.TRANS_HALF_TOPIC) {
      throw reject(ResponseCode.SYSTEM_ERROR, `Find prepared transaction message failed: no half message at commit log offset ${h.commitLogOffset}`);
    }
    this.#checkPrepared(half, h);
    if (h.fromTransactionCheck !== true) this.#checkImmunity(half);
    const commit = type === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    const outcome = await this.#svc.resolve(half, commit);
    if (outcome.kind === 'put-failed') {
      const { code, remark } = putStatusToReply(outcome.result, ctx.messageStoreConfig.diskSpaceWarningLevelRatio);
      return RemotingCommand.responseTo(req, code, remark);
    }
    ctx.log.debug(
      { key: transactionKey(half), commit, outcome: outcome.kind, fromCheck: h.fromTransactionCheck, from: channel.remoteAddress },
      'transaction ended',
    );
    return ok(req);
  }

  /** Java checkPrepareMessage: the producer group and both offsets must match the stored half message. */
  #checkPrepared(half: DecodedMessage, h: EndTransactionRequestHeader): void {
    const pgroup = half.properties[MessageConst.PGROUP];
    if (pgroup !== h.producerGroup) {
      throw reject(ResponseCode.SYSTEM_ERROR, `The producer group wrong: the half message belongs to ${pgroup ?? '(none)'}, not ${h.producerGroup}`);
    }
    if (half.queueOffset !== h.tranStateTableOffset) {
      throw reject(ResponseCode.SYSTEM_ERROR, `The transaction state table offset wrong: ${h.tranStateTableOffset} != ${half.queueOffset}`);
    }
    if (half.commitLogOffset !== h.commitLogOffset) {
      throw reject(ResponseCode.SYSTEM_ERROR, `The commit log offset wrong: ${h.commitLogOffset} != ${half.commitLogOffset}`);
    }
  }

  /** 5.x: past its check-immunity window, a message is decided by the checker only (604 otherwise). */
  #checkImmunity(half: DecodedMessage): void {
    const immunity = checkImmunityMs(half.properties);
    if (immunity === undefined) return;
    const limit = Math.max(immunity, this.#ctx.brokerConfig.transactionTimeOut);
    if (this.#ctx.now() - half.bornTimestamp > limit) {
      throw reject(ResponseCode.ILLEGAL_OPERATION, `the transaction is past its check immunity time (${limit} ms): it is decided by the check-back only`);
    }
  }
}
