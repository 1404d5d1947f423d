// Transaction check-back (PROTOCOL.md §8.3; Java TransactionalMessageCheckService + TransactionalMessageServiceImpl.check
// + AbstractTransactionalMessageCheckListener). Every transactionCheckInterval it walks the half queue from the saved
// progress: a half message with an op record is done; one younger than transactionTimeOut (or its
// CHECK_IMMUNITY_TIME_IN_SECONDS, if larger) ends the round; one checked transactionCheckMax times goes to
// TRANS_CHECK_MAX_TIME_TOPIC; any other is appended again with TRANSACTION_CHECK_TIMES + 1 and the copy is sent to a
// live producer of its PGROUP as CHECK_TRANSACTION_STATE (39, oneway, full-message body §5.4). The progress is saved
// as consumer offsets of CID_RMQ_SYS_TRANS after each round.
import { errorMessage } from '../../common/errors.ts';
import { encodeFullMessage } from '../../common/message/full-message.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { createOffsetMsgId } from '../../common/message/message-id.ts';
import { CheckTransactionStateRequestHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { PutMessageStatus } from '../../store/commitlog/commit-log.ts';
import type { BrokerContext } from '../processor/broker-context.ts';
import { SystemTopic } from '../topic/topic-validator.ts';
import type { TransactionalMessageService } from './transactional-message-service.ts';
import {
  HALF_QUEUE_ID,
  checkImmunityMs,
  checkTimes,
  realTopic,
  toCheckMaxTimeInput,
  toHalfCopyInput,
  transactionKey,
} from './transactional-message-util.ts';

const HALF = SystemTopic.TRANS_HALF_TOPIC;
const HOUR_MS = 3_600_000;

/** What one check round did (for logs and tests). */
export interface CheckRoundReport {
  /** CHECK_TRANSACTION_STATE requests sent. */
  checked: number;
  /** Checks due but without a live producer channel (the attempt still counts). */
  noProducer: number;
  /** Messages moved to TRANS_CHECK_MAX_TIME_TOPIC. */
  discarded: number;
  /** Half messages found decided (op record) and passed over. */
  done: number;
  /** Copies made for messages still inside their CHECK_IMMUNITY_TIME_IN_SECONDS. */
  immune: number;
  /** Half progress after the round. */
  halfOffset: number;
}

export class TransactionalMessageCheckService {
  readonly #ctx: BrokerContext;
  readonly #svc: TransactionalMessageService;
  #timer: ReturnType<typeof setInterval> | undefined;
  #round: Promise<CheckRoundReport> | undefined;
  #stopped = false;

  constructor(ctx: BrokerContext, svc: TransactionalMessageService) {
    this.#ctx = ctx;
    this.#svc = svc;
  }

  /** Runs a round every brokerConfig.transactionCheckInterval ms until shutdown. */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    const interval = Math.max(1, this.#ctx.brokerConfig.transactionCheckInterval);
    this.#timer = setInterval(() => {
      void this.check().catch((e: unknown) => this.#ctx.log.error({ err: errorMessage(e) }, 'transaction check round failed'));
    }, interval);
    this.#timer.unref?.();
  }

  /** Stops the timer and waits for a running round. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#round?.catch(() => undefined);
  }

  /** One check round now (a round already running is joined rather than doubled). */
  check(): Promise<CheckRoundReport> {
    this.#round ??= this.#runRound().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async #runRound(): Promise<CheckRoundReport> {
    const ctx = this.#ctx;
    const svc = this.#svc;
    const bc = ctx.brokerConfig;
    const startTime = ctx.now();
    const halfStart = svc.halfProgress();
    const ops = svc.readOps(svc.opProgress());
    const removedByOps = new Set<number>();
    for (const op of ops) for (const o of op.halfOffsets) removedByOps.add(o);
    const halfMax = ctx.store.getMaxOffsetInQueue(HALF, HALF_QUEUE_ID);
    const report: CheckRoundReport = { checked: 0, noProducer: 0, discarded: 0, done: 0, immune: 0, halfOffset: halfStart };
    let i = halfStart;
    for (const rec of svc.readQueue(HALF, halfStart, halfMax)) {
      if (this.#stopped) break;
      const offset = rec.queueOffset;
      const half = rec.message;
      const key = transactionKey(half);
      if (removedByOps.has(offset) || svc.isRemoved(offset) || svc.isResolvedKey(key)) {
        report.done++;
        svc.untrack(key, offset);
        i = offset + 1;
        continue;
      }
      if (half.storeTimestamp >= startTime) break;
      const now = ctx.now();
      if (checkTimes(half.properties) >= bc.transactionCheckMax) {
        if (!(await this.#discard(half))) break;
        report.discarded++;
        svc.untrack(key, offset);
        i = offset + 1;
        continue;
      }
      if (now - half.bornTimestamp > ctx.messageStoreConfig.fileReservedTime * HOUR_MS) {
        ctx.log.info({ offset, key }, 'half message older than the file reserve time: no longer checked');
        svc.untrack(key, offset);
        i = offset + 1;
        continue;
      }
      const age = now - half.bornTimestamp;
      const immunity = checkImmunityMs(half.properties);
      if (immunity !== undefined && age >= 0 && age < Math.max(immunity, bc.transactionTimeOut)) {
        // Java keeps such a message by appending it again unchanged, then moves on.
        const copied = await this.#copy(half, offset, key, half.properties);
        if (copied === undefined) break;
        report.immune++;
        i = offset + 1;
        continue;
      }
      if (immunity === undefined && age >= 0 && age < bc.transactionTimeOut) break;
      const props = { ...half.properties, [MessageConst.TRANSACTION_CHECK_TIMES]: String(checkTimes(half.properties) + 1) };
      const copy = await this.#copy(half, offset, key, props);
      if (copy === undefined) break;
      i = offset + 1;
      if (copy.decided) {
        report.done++;
        continue;
      }
      if (this.#sendCheck(copy.message)) report.checked++;
      else report.noProducer++;
    }
    if (i > halfStart || ops.length > 0) svc.advanceProgress(i, ops);
    report.halfOffset = i;
    return report;
  }

  /** Appends a copy of a half message; undefined when it could not be stored (the round stops there). */
  async #copy(
    half: DecodedMessage,
    fromOffset: number,
    key: string,
    props: Readonly<Record<string, string>>,
  ): Promise<{ message: DecodedMessage; decided: boolean } | undefined> {
    const ctx = this.#ctx;
    const input = toHalfCopyInput(half, props);
    const r = await ctx.store.putMessage(input);
    if (r.status !== PutMessageStatus.PUT_OK) {
      ctx.log.warn({ fromOffset, status: r.status, remark: r.remark }, 'half message copy not stored: check postponed');
      return undefined;
    }
    if (this.#svc.isResolvedKey(key)) {
      // Decided while the copy was being written: remove the copy too.
      await this.#svc.writeOp([r.queueOffset]);
      this.#svc.untrack(key, fromOffset);
      return { message: half, decided: true };
    }
    this.#svc.trackCopy(key, fromOffset, r.queueOffset);
    const message: DecodedMessage = {
      ...half,
      properties: { ...props },
      queueOffset: r.queueOffset,
      commitLogOffset: r.wroteOffset,
      storeTimestamp: r.storeTimestamp,
      msgId: r.msgId,
    };
    return { message, decided: false };
  }

  /** Sends CHECK_TRANSACTION_STATE for a copy to one live channel of its producer group; false when none is online. */
  #sendCheck(copy: DecodedMessage): boolean {
    const ctx = this.#ctx;
    const group = copy.properties[MessageConst.PGROUP];
    const channel = group === undefined ? undefined : ctx.producerManager.getAvailableChannel(group);
    if (channel === undefined) {
      ctx.log.warn({ group, offset: copy.queueOffset }, 'no live producer of the group to check a half message with');
      return false;
    }
    const topic = realTopic(copy);
    const qid = Number(copy.properties[MessageConst.REAL_QID]);
    const uniq = copy.properties[MessageConst.UNIQ_KEY];
    const ext = CheckTransactionStateRequestHeader.encode({
      topic,
      tranStateTableOffset: copy.queueOffset,
      commitLogOffset: copy.commitLogOffset,
      msgId: uniq,
      transactionId: uniq,
      offsetMsgId: createOffsetMsgId(copy.storeHost, copy.commitLogOffset),
      bname: ctx.brokerConfig.brokerName,
    });
    // §5.4: the message as the producer sent it: real topic and queue; TOTALSIZE recomputed.
    const body = encodeFullMessage({
      ...copy,
      topic,
      queueId: Number.isInteger(qid) && qid >= 0 ? qid : copy.queueId,
      properties: copy.properties,
      bodyCrc: copy.bodyCrc,
    });
    try {
      channel.invokeOneway(RemotingCommand.request(RequestCode.CHECK_TRANSACTION_STATE, ext, body).markOneway());
      return true;
    } catch (e) {
      ctx.log.warn({ group, addr: channel.remoteAddress, err: errorMessage(e) }, 'CHECK_TRANSACTION_STATE not sent');
      return false;
    }
  }

  /** Moves a half message checked too often to TRANS_CHECK_MAX_TIME_TOPIC. */
  async #discard(half: DecodedMessage): Promise<boolean> {
    const ctx = this.#ctx;
    ctx.topicConfigManager.createTopicOfTranCheckMaxTime();
    const r = await ctx.store.putMessage(toCheckMaxTimeInput(half));
    if (r.status !== PutMessageStatus.PUT_OK) {
      ctx.log.warn({ offset: half.queueOffset, status: r.status }, 'half message not moved to TRANS_CHECK_MAX_TIME_TOPIC');
      return false;
    }
    ctx.log.info({ key: transactionKey(half), checks: checkTimes(half.properties) }, 'half message checked too often: discarded');
    return true;
  }
}
