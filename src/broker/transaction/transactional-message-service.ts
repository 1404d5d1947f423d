// Transaction state of the broker (PROTOCOL.md §8.3; Java TransactionalMessageServiceImpl + Bridge): reads the half and
// op queues, commits or rolls back half messages, writes op records, and keeps what the checker and END_TRANSACTION
// need to resolve each transaction exactly once:
//   - progress: the consume offsets of group CID_RMQ_SYS_TRANS on the half and op queues (consumerOffset.json), so a
//     restart resumes where the checker was;
//   - `removed`: half-queue offsets at or above the half progress that have an op record;
//   - `pending`: transaction key (UNIQ_KEY) → half-queue offsets of its undecided copies (the checker re-appends a half
//     message before each check-back, so one transaction can have several copies); a decision writes one op record
//     covering every copy, so no copy is checked or committed again, even after a restart;
//   - `resolved`: recently decided keys (bounded), so a duplicate END_TRANSACTION or a late answer to an older check
//     is a no-op.
// Invariant kept by advanceProgress: every op record naming a half offset ≥ the half progress sits at or after the op
// progress, so load() rebuilds `removed` and `pending` from the two queues alone.
import { errorMessage } from '../../common/errors.ts';
import { decodeRecord } from '../../common/message/message-record.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';
import { MessageConst } from '../../common/message/message-const.ts';
import { decodeProperties, encodeProperties } from '../../common/message/message-properties.ts';
import { PutMessageStatus } from '../../store/commitlog/commit-log.ts';
import type { PutMessageInput, PutMessageResult } from '../../store/message-store.ts';
import { applyDelayTransform } from '../message-transform.ts';
import type { BrokerContext } from '../processor/broker-context.ts';
import { SystemTopic } from '../topic/topic-validator.ts';
import {
  HALF_QUEUE_ID,
  OP_REMOVE_TAG,
  TRANS_CHECK_GROUP,
  decodeOpBody,
  encodeOpBody,
  toCommitInput,
  transactionKey,
} from './transactional-message-util.ts';

const HALF = SystemTopic.TRANS_HALF_TOPIC;
const OP = SystemTopic.TRANS_OP_HALF_TOPIC;
const READ_BATCH = 32;
const INT_MAX = 2147483647;
/** Decided transaction keys remembered for de-duplication. */
const RESOLVED_KEYS_MAX = 100_000;

/** A record read from a queue, with its queue offset. */
export interface QueueRecord {
  queueOffset: number;
  message: DecodedMessage;
}

/** An op record: its own offset in the op queue and the half offsets it removes. */
export interface OpRecord {
  opOffset: number;
  halfOffsets: number[];
}

export type ResolveOutcome =
  | { kind: 'done'; result?: PutMessageResult }
  /** The transaction was already committed or rolled back: nothing written. */
  | { kind: 'duplicate' }
  /** The commit could not be stored (nothing else written). */
  | { kind: 'put-failed'; result: PutMessageResult };

function storedOk(r: PutMessageResult): boolean {
  return (
    r.status === PutMessageStatus.PUT_OK ||
    r.status === PutMessageStatus.FLUSH_DISK_TIMEOUT ||
    r.status === PutMessageStatus.FLUSH_SLAVE_TIMEOUT ||
    r.status === PutMessageStatus.SLAVE_NOT_AVAILABLE
  );
}

export class TransactionalMessageService {
  readonly #ctx: BrokerContext;
  readonly #removed = new Set<number>();
  readonly #pending = new Map<string, Set<number>>();
  readonly #resolved = new Map<string, true>();
  #loaded = false;

  constructor(ctx: BrokerContext) {
    this.#ctx = ctx;
    ctx.store.onMessageArrived((topic, _queueId, queueOffset, _tagsCode, _storeTimestamp, properties) => {
      if (topic === HALF && this.#loaded) this.#onHalfDispatched(queueOffset, properties);
    });
  }

  /** Rebuilds the in-memory state from the persisted progress and the two queues; call once the store is started. */
  load(): void {
    this.#removed.clear();
    this.#pending.clear();
    const halfOffset = this.halfProgress();
    for (const op of this.readOps(this.opProgress())) {
      for (const o of op.halfOffsets) if (o >= halfOffset) this.#removed.add(o);
    }
    const decidedKeys = new Set<string>();
    const undecided: Array<[string, number]> = [];
    for (const r of this.readQueue(HALF, halfOffset, this.#ctx.store.getMaxOffsetInQueue(HALF, HALF_QUEUE_ID))) {
      const key = transactionKey(r.message);
      if (this.#removed.has(r.queueOffset)) decidedKeys.add(key);
      else undecided.push([key, r.queueOffset]);
    }
    for (const key of decidedKeys) this.#remember(key);
    for (const [key, offset] of undecided) {
      // A copy made while its transaction was being decided (crash in between): decided already.
      if (decidedKeys.has(key)) this.#removed.add(offset);
      else this.#addPending(key, offset);
    }
    this.#loaded = true;
  }

  /** Half-queue offset the checker resumes from. */
  halfProgress(): number {
    return this.#progress(HALF);
  }

  /** Op-queue offset the checker resumes from. */
  opProgress(): number {
    return this.#progress(OP);
  }

  #progress(topic: string): number {
    const stored = this.#ctx.consumerOffsetManager.queryOffset(TRANS_CHECK_GROUP, topic, HALF_QUEUE_ID);
    const min = this.#ctx.store.getMinOffsetInQueue(topic, HALF_QUEUE_ID);
    return stored < 0 ? min : Math.max(stored, min);
  }

  /**
   * Moves the checker's progress to `halfOffset`; the op progress follows over every leading op record whose half
   * offsets are all below it. Forgets in-memory state below the new half progress.
   */
  advanceProgress(halfOffset: number, ops: readonly OpRecord[]): void {
    const com = this.#ctx.consumerOffsetManager;
    let opOffset = this.opProgress();
    for (const op of ops) {
      if (op.opOffset !== opOffset) break;
      if (op.halfOffsets.some((o) => o >= halfOffset)) break;
      opOffset++;
    }
    com.commitOffset('', TRANS_CHECK_GROUP, HALF, HALF_QUEUE_ID, halfOffset);
    com.commitOffset('', TRANS_CHECK_GROUP, OP, HALF_QUEUE_ID, opOffset);
    for (const o of this.#removed) if (o < halfOffset) this.#removed.delete(o);
  }

  /** Records of topic queue 0 in [from, to), oldest first (gaps from retention are skipped). */
  *readQueue(topic: string, from: number, to: number): Generator<QueueRecord> {
    const store = this.#ctx.store;
    let offset = from;
    while (offset < to) {
      const r = store.getMessage(TRANS_CHECK_GROUP, topic, HALF_QUEUE_ID, offset, Math.min(READ_BATCH, to - offset), INT_MAX);
      if (r.messages.length === 0) {
        if (r.nextBeginOffset > offset) {
          offset = r.nextBeginOffset;
          continue;
        }
        return;
      }
      for (let i = 0; i < r.messages.length; i++) {
        const queueOffset = r.queueOffsets[i];
        if (queueOffset >= to) return;
        let message: DecodedMessage;
        try {
          message = decodeRecord(r.messages[i]);
        } catch (e) {
          this.#ctx.log.warn({ topic, queueOffset, err: errorMessage(e) }, 'unreadable transaction record skipped');
          continue;
        }
        yield { queueOffset, message };
      }
      offset = Math.max(r.nextBeginOffset, r.queueOffsets[r.queueOffsets.length - 1] + 1);
    }
  }

  /** The half message at a half-queue offset (undefined when gone or not dispatched yet). */
  readHalf(queueOffset: number): QueueRecord | undefined {
    for (const r of this.readQueue(HALF, queueOffset, queueOffset + 1)) return r;
    return undefined;
  }

  /** Op records from `from` to the end of the op queue. */
  readOps(from: number): OpRecord[] {
    const out: OpRecord[] = [];
    for (const r of this.readQueue(OP, from, this.#ctx.store.getMaxOffsetInQueue(OP, HALF_QUEUE_ID))) {
      out.push({ opOffset: r.queueOffset, halfOffsets: decodeOpBody(r.message.body) });
    }
    return out;
  }

  /** The record at a commit-log offset (undefined when absent or unreadable). */
  lookup(commitLogOffset: number): DecodedMessage | undefined {
    const buf = this.#ctx.store.lookMessageByOffset(commitLogOffset);
    if (buf === undefined) return undefined;
    try {
      return decodeRecord(buf);
    } catch {
      return undefined;
    }
  }

  isRemoved(halfOffset: number): boolean {
    return this.#removed.has(halfOffset);
  }

  isResolvedKey(key: string): boolean {
    return this.#resolved.has(key);
  }

  /** Undecided half offsets known for a transaction key. */
  pendingOffsets(key: string): readonly number[] {
    return [...(this.#pending.get(key) ?? [])];
  }

  /** Number of undecided transactions known (diagnostics and tests). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Whether an END_TRANSACTION for the half message at `half.queueOffset` has nothing left to decide: already
   * decided, or below the checker's progress with no undecided copy left (decided, or discarded after max checks).
   */
  isDecided(half: DecodedMessage): boolean {
    const key = transactionKey(half);
    if (this.#resolved.has(key) || this.#removed.has(half.queueOffset)) return true;
    return half.queueOffset < this.halfProgress() && !this.#pending.has(key);
  }

  /**
   * Commit (`commit` true: the message is put to its real topic) or roll back the transaction of `half`, then write
   * one op record removing it and every undecided copy. The key is claimed before any await, so concurrent requests
   * for the same transaction resolve it once.
   */
  async resolve(half: DecodedMessage, commit: boolean): Promise<ResolveOutcome> {
    const key = transactionKey(half);
    if (this.isDecided(half)) return { kind: 'duplicate' };
    this.#remember(key);
    let result: PutMessageResult | undefined;
    if (commit) {
      result = await this.#ctx.store.putMessage(this.#commitInput(half));
      if (!storedOk(result)) {
        this.#resolved.delete(key);
        return { kind: 'put-failed', result };
      }
    }
    const offsets = new Set<number>([half.queueOffset, ...(this.#pending.get(key) ?? [])]);
    this.#pending.delete(key);
    await this.writeOp([...offsets]);
    return { kind: 'done', result };
  }

  /** The committed message; a DELAY / timer property parks it like any other send (Java applies it to commit records). */
  #commitInput(half: DecodedMessage): PutMessageInput {
    const input = toCommitInput(half);
    const props = decodeProperties(input.properties);
    let target;
    try {
      target = applyDelayTransform(this.#ctx, { topic: input.topic, queueId: input.queueId }, props, input.sysFlag);
    } catch (e) {
      this.#ctx.log.warn({ key: transactionKey(half), err: errorMessage(e) }, 'committed message delivered now: bad delay property');
      return input;
    }
    if (target.topic === input.topic && target.queueId === input.queueId) return input;
    return { ...input, topic: target.topic, queueId: target.queueId, properties: encodeProperties(props) };
  }

  /** Appends an op record (tag "d") removing these half offsets; they count as removed at once. */
  async writeOp(halfOffsets: readonly number[]): Promise<void> {
    if (halfOffsets.length === 0) return;
    for (const o of halfOffsets) this.#removed.add(o);
    const ctx = this.#ctx;
    const props = { [MessageConst.TAGS]: OP_REMOVE_TAG, [MessageConst.WAIT]: 'false' };
    const r = await ctx.store.putMessage({
      topic: OP,
      queueId: HALF_QUEUE_ID,
      flag: 0,
      body: encodeOpBody(halfOffsets),
      properties: encodeProperties(props),
      sysFlag: 0,
      bornTimestamp: ctx.now(),
      bornHost: ctx.storeHost(),
      storeHost: ctx.storeHost(),
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    });
    if (!storedOk(r)) {
      // The decision stands in memory; after a restart the checker would ask the producer again.
      ctx.log.error({ halfOffsets, status: r.status, remark: r.remark }, 'transaction op record not stored');
    }
  }

  /** The checker made a copy of `key`'s half message at `halfOffset` (replacing the one it came from). */
  trackCopy(key: string, fromOffset: number, halfOffset: number): void {
    this.untrack(key, fromOffset);
    this.#addPending(key, halfOffset);
  }

  /** The checker is done with the half message at `halfOffset` (copied, discarded or skipped). */
  untrack(key: string, halfOffset: number): void {
    const set = this.#pending.get(key);
    if (set === undefined) return;
    set.delete(halfOffset);
    if (set.size === 0) this.#pending.delete(key);
  }

  #onHalfDispatched(queueOffset: number, properties: Readonly<Record<string, string>>): void {
    const key = properties[MessageConst.UNIQ_KEY] ?? properties[MessageConst.TRANSACTION_ID];
    if (key === undefined || this.#removed.has(queueOffset)) return;
    if (this.#resolved.has(key)) return;
    this.#addPending(key, queueOffset);
  }

  #addPending(key: string, offset: number): void {
    let set = this.#pending.get(key);
    if (set === undefined) {
      set = new Set();
      this.#pending.set(key, set);
    }
    set.add(offset);
  }

  #remember(key: string): void {
    this.#resolved.delete(key);
    this.#resolved.set(key, true);
    if (this.#resolved.size > RESOLVED_KEYS_MAX) {
      const oldest = this.#resolved.keys().next();
      if (oldest.done !== true) this.#resolved.delete(oldest.value);
    }
  }
}
