// The 4 KiB checkpoint file (PROTOCOL.md §7.5): store timestamps of the last flushed commit-log / consume-queue / index record.
import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, readSync, write, writeSync } from 'node:fs';
import { RocketMQError, ERROR_CODES } from '../../common/errors.ts';

export const CHECKPOINT_FILE_SIZE = 4096;

const POS_PHYSIC = 0;
const POS_LOGICS = 8;
const POS_INDEX = 16;
const POS_MASTER_FLUSHED = 24;
const POS_CONFIRM_PHY = 32;

export class StoreCheckpoint {
  readonly path: string;
  #fd: number;
  #buf = Buffer.alloc(CHECKPOINT_FILE_SIZE);
  /** flushAsync calls in flight, and a descriptor whose close waits for them. */
  #busy = 0;
  #closeLater: number | undefined;

  constructor(path: string) {
    this.path = path;
    try {
      this.#fd = openSync(path, 'a+');
      closeSync(this.#fd);
      this.#fd = openSync(path, 'r+');
      const size = fstatSync(this.#fd).size;
      if (size > 0) readSync(this.#fd, this.#buf, 0, Math.min(size, CHECKPOINT_FILE_SIZE), 0);
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot open checkpoint file ${path}`, { cause: e });
    }
  }

  get physicMsgTimestamp(): number { return this.#get(POS_PHYSIC); }
  set physicMsgTimestamp(v: number) { this.#set(POS_PHYSIC, v); }
  get logicsMsgTimestamp(): number { return this.#get(POS_LOGICS); }
  set logicsMsgTimestamp(v: number) { this.#set(POS_LOGICS, v); }
  get indexMsgTimestamp(): number { return this.#get(POS_INDEX); }
  set indexMsgTimestamp(v: number) { this.#set(POS_INDEX, v); }
  get masterFlushedOffset(): number { return this.#get(POS_MASTER_FLUSHED); }
  set masterFlushedOffset(v: number) { this.#set(POS_MASTER_FLUSHED, v); }
  get confirmPhyOffset(): number { return this.#get(POS_CONFIRM_PHY); }
  set confirmPhyOffset(v: number) { this.#set(POS_CONFIRM_PHY, v); }

  /** Smallest timestamp recovery may trust (StoreCheckpoint.getMinTimestamp): min(physic, logics) − 3 s, never negative. */
  minTimestamp(): number {
    return Math.max(0, Math.min(this.physicMsgTimestamp, this.logicsMsgTimestamp) - 3000);
  }

  /** Like minTimestamp(), also bounded by the index timestamp (messageIndexSafe). */
  minTimestampIndex(): number {
    return Math.min(this.minTimestamp(), this.indexMsgTimestamp);
  }

  flush(): void {
    if (this.#fd < 0) return;
    writeSync(this.#fd, this.#buf, 0, CHECKPOINT_FILE_SIZE, 0);
    fdatasyncSync(this.#fd);
  }

  /**
   * flush() through the thread pool, of the values as they are now: a checkpoint fdatasync can wait for the file
   * system's journal (the commit log's freshly allocated blocks), which must not stall the event loop every second.
   */
  flushAsync(): Promise<void> {
    const fd = this.#fd;
    if (fd < 0) return Promise.resolve();
    const snapshot = Buffer.from(this.#buf);
    this.#busy++;
    return new Promise<void>((resolve, reject) => {
      write(fd, snapshot, 0, CHECKPOINT_FILE_SIZE, 0, (err) => {
        if (err) return reject(err);
        fdatasync(fd, (syncErr) => (syncErr ? reject(syncErr) : resolve()));
      });
    }).finally(() => {
      // A close() meanwhile left the descriptor open for us (its number must not be reused under a pending write).
      if (--this.#busy === 0 && this.#closeLater !== undefined) {
        closeSync(this.#closeLater);
        this.#closeLater = undefined;
      }
    });
  }

  #release(fd: number): void {
    if (this.#busy > 0) this.#closeLater = fd;
    else closeSync(fd);
  }

  close(): void {
    if (this.#fd < 0) return;
    this.flush();
    this.#release(this.#fd);
    this.#fd = -1;
  }

  /** Close without writing (a simulated crash). */
  abandon(): void {
    if (this.#fd < 0) return;
    this.#release(this.#fd);
    this.#fd = -1;
  }

  #get(pos: number): number {
    return Number(this.#buf.readBigInt64BE(pos));
  }

  #set(pos: number, v: number): void {
    this.#buf.writeBigInt64BE(BigInt(Math.trunc(v)), pos);
  }
}
