// Transactional producer (Java TransactionMQProducer, PROTOCOL.md §8.3): sends a half message (properties TRAN_MSG=true
// and PGROUP=<group>, sysFlag TRANSACTION_PREPARED_TYPE), runs the local transaction, then tells the broker the outcome
// with END_TRANSACTION (37, oneway). Answers the broker's CHECK_TRANSACTION_STATE (39) through checkLocalTransaction
// with END_TRANSACTION fromTransactionCheck=true, sent back to the broker that asked.
import { errorMessage } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { Logger } from '../../common/logger.ts';
import { formatHostPort } from '../../common/message/host-address.ts';
import { MessageConst, MessageSysFlag } from '../../common/message/message-const.ts';
import { decodeOffsetMsgId } from '../../common/message/message-id.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { EndTransactionRequestHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import type { EndTransactionRequestHeader as EndHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import type { CheckTransactionStateRequestHeader } from '../../remoting/protocol/headers/transaction-headers.ts';
import type { ProducerMember } from '../instance/client-instance.ts';
import { SendStatus } from '../message.ts';
import type { Message, SendResult } from '../message.ts';
import { toMessageView } from './message-view.ts';
import type { MessageView } from './message-view.ts';
import { Producer } from './producer.ts';
import type { ProducerOptions, SendOptions } from './producer.ts';

/** Outcome of a local transaction (Java LocalTransactionState names, "UNKNOW" spelling included). */
export const LocalTransactionState = {
  COMMIT_MESSAGE: 'COMMIT_MESSAGE',
  ROLLBACK_MESSAGE: 'ROLLBACK_MESSAGE',
  UNKNOW: 'UNKNOW',
} as const;
export type LocalTransactionState = (typeof LocalTransactionState)[keyof typeof LocalTransactionState];

/** END_TRANSACTION commitOrRollback values (MessageSysFlag transaction types). */
export function commitOrRollbackOf(state: LocalTransactionState): number {
  switch (state) {
    case LocalTransactionState.COMMIT_MESSAGE:
      return MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    case LocalTransactionState.ROLLBACK_MESSAGE:
      return MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
    default:
      return MessageSysFlag.TRANSACTION_NOT_TYPE;
  }
}

/** What executeLocalTransaction learns about the half message the broker stored. */
export interface HalfMessage {
  /** UNIQ_KEY of the half message (Java msg.getTransactionId()). */
  transactionId: string;
  sendResult: SendResult;
}

export interface TransactionListener {
  /** Run the local transaction after the half message is stored. A throw counts as UNKNOW (the broker will check). */
  executeLocalTransaction(message: Message, arg: unknown, half: HalfMessage): LocalTransactionState | Promise<LocalTransactionState>;
  /** The broker asks about a half message still undecided. A throw counts as UNKNOW. */
  checkLocalTransaction(message: MessageView): LocalTransactionState | Promise<LocalTransactionState>;
}

export interface TransactionProducerOptions extends ProducerOptions {
  transactionListener: TransactionListener;
}

export interface TransactionSendResult extends SendResult {
  localTransactionState: LocalTransactionState;
}

function normalizeState(v: unknown): LocalTransactionState {
  return v === LocalTransactionState.COMMIT_MESSAGE || v === LocalTransactionState.ROLLBACK_MESSAGE ? v : LocalTransactionState.UNKNOW;
}

export class TransactionProducer extends Producer {
  readonly #listener: TransactionListener;
  readonly #log: Logger;
  readonly #checks = new Set<Promise<void>>();

  constructor(options: TransactionProducerOptions) {
    super(options);
    this.#listener = options.transactionListener;
    this.#log = createLogger('transaction-producer').child({ group: this.group });
  }

  /**
   * Send `message` as a half message, run executeLocalTransaction, and report the outcome to the broker. A send
   * failure throws (no END_TRANSACTION); an END_TRANSACTION failure is logged (the broker's check resolves it).
   * A stored-but-not-OK send (flush/slave problems) rolls back without running the local transaction, as Java.
   */
  async sendMessageInTransaction(message: Message, arg?: unknown, options: SendOptions = {}): Promise<TransactionSendResult> {
    // Java ignores a delay level on transactional messages.
    const msg: Message = { ...message, delayTimeLevel: undefined };
    const sendResult = await this.sendWithSystemProperties(
      msg,
      { [MessageConst.TRAN_MSG]: 'true', [MessageConst.PGROUP]: this.group },
      MessageSysFlag.TRANSACTION_PREPARED_TYPE,
      options,
    );
    let state: LocalTransactionState = LocalTransactionState.UNKNOW;
    let localError: unknown;
    if (sendResult.status === SendStatus.SEND_OK) {
      try {
        state = normalizeState(await this.#listener.executeLocalTransaction(msg, arg, { transactionId: sendResult.msgId, sendResult }));
      } catch (e) {
        localError = e;
        state = LocalTransactionState.UNKNOW;
        this.#log.error({ topic: msg.topic, transactionId: sendResult.msgId, err: errorMessage(e) }, 'executeLocalTransaction threw');
      }
    } else {
      state = LocalTransactionState.ROLLBACK_MESSAGE;
    }
    try {
      await this.#endTransaction(msg.topic, sendResult, state, localError);
    } catch (e) {
      this.#log.warn({ topic: msg.topic, transactionId: sendResult.msgId, state, err: errorMessage(e) }, 'END_TRANSACTION failed; the broker will check');
    }
    return { ...sendResult, localTransactionState: state };
  }

  override async shutdown(): Promise<void> {
    await Promise.all([...this.#checks]);
    await super.shutdown();
  }

  protected override transactionCheckHandler(): ProducerMember['checkTransactionState'] {
    return (brokerAddr, message, header) => {
      const p = this.#answerCheck(brokerAddr, message, header);
      this.#checks.add(p);
      void p.finally(() => this.#checks.delete(p));
    };
  }

  async #endTransaction(topic: string, r: SendResult, state: LocalTransactionState, localError: unknown): Promise<void> {
    const instance = this.clientInstance;
    if (instance === undefined) return;
    const id = decodeOffsetMsgId(r.offsetMsgId !== '' ? r.offsetMsgId : r.msgId);
    const brokerName = r.messageQueue.brokerName;
    const addr = instance.findBrokerAddr(brokerName) ?? formatHostPort(id.address);
    const header: EndHeader = {
      topic,
      producerGroup: this.group,
      tranStateTableOffset: r.queueOffset,
      commitLogOffset: id.offset,
      commitOrRollback: commitOrRollbackOf(state),
      fromTransactionCheck: false,
      msgId: r.msgId,
      transactionId: r.transactionId,
      bname: brokerName,
    };
    const remark = localError === undefined ? undefined : `executeLocalTransactionBranch exception: ${errorMessage(localError)}`;
    await instance.invokeOneway(addr, this.#endRequest(header, remark));
  }

  async #answerCheck(brokerAddr: string, message: DecodedMessage, header: CheckTransactionStateRequestHeader): Promise<void> {
    let state: LocalTransactionState = LocalTransactionState.UNKNOW;
    let remark: string | undefined;
    try {
      state = normalizeState(await this.#listener.checkLocalTransaction(toMessageView(message)));
    } catch (e) {
      remark = `checkLocalTransactionState Exception: ${errorMessage(e)}`;
      this.#log.error({ msgId: header.msgId, err: errorMessage(e) }, 'checkLocalTransaction threw');
    }
    const end: EndHeader = {
      topic: header.topic,
      producerGroup: this.group,
      tranStateTableOffset: header.tranStateTableOffset,
      commitLogOffset: header.commitLogOffset,
      commitOrRollback: commitOrRollbackOf(state),
      fromTransactionCheck: true,
      msgId: message.properties[MessageConst.UNIQ_KEY] ?? message.msgId,
      transactionId: header.transactionId,
      bname: header.bname,
    };
    try {
      const instance = this.clientInstance;
      if (instance === undefined || !instance.running) return;
      await instance.invokeOneway(brokerAddr, this.#endRequest(end, remark));
    } catch (e) {
      this.#log.warn({ broker: brokerAddr, err: errorMessage(e) }, 'END_TRANSACTION answer to a check failed');
    }
  }

  #endRequest(header: EndHeader, remark: string | undefined): RemotingCommand {
    const cmd = RemotingCommand.request(RequestCode.END_TRANSACTION, EndTransactionRequestHeader.encode(header));
    if (remark !== undefined) cmd.remark = remark;
    return cmd;
  }
}
