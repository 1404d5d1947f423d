// Retention (PROTOCOL.md §7.2, DefaultMessageStore.CleanCommitLogService / CleanConsumeQueueService): deletes commit-log
// files older than fileReservedTime at deleteWhen or when the disk is ≥ diskMaxUsedSpaceRatio full, deletes even young
// files at ≥ diskSpaceCleanForciblyRatio, refuses appends at ≥ diskSpaceWarningLevelRatio, then drops consume-queue and
// index files that only point below the commit log's new min offset.
import { statfs } from 'node:fs/promises';
import { createLogger } from '../../common/logger.ts';
import type { MessageStoreConfig } from '../config/message-store-config.ts';
import type { CommitLog } from '../commitlog/commit-log.ts';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.ts';
import type { IndexService } from '../index/index-service.ts';
import { cleanDecision } from './clean-policy.ts';
import type { CleanDecision } from './clean-policy.ts';

const log = createLogger('clean');

/** Files deleted per round at most (MappedFileQueue.DELETE_FILES_BATCH_MAX). */
const DELETE_FILES_BATCH_MAX = 10;

/** Disk usage (0..100) of the file system holding `dir`, from statfs. */
export async function statfsDiskUsage(dir: string): Promise<number> {
  const s = await statfs(dir);
  if (s.blocks === 0) return 0;
  return ((s.blocks - s.bfree) / s.blocks) * 100;
}

export interface CleanServiceOptions {
  config: MessageStoreConfig;
  commitLog: CommitLog;
  queues: ConsumeQueueTable;
  index: IndexService | undefined;
  /** Disk usage percentage 0..100 (sync or async). */
  diskUsage: () => number | Promise<number>;
  now: () => number;
  /** Called when the disk-full flag changes. */
  onDiskFull: (full: boolean) => void;
}

export interface CleanReport extends CleanDecision {
  diskUsage: number;
  commitLogFilesDeleted: number;
  consumeQueueFilesDeleted: number;
  indexFilesDeleted: number;
}

export class CleanService {
  #opts: CleanServiceOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<CleanReport> | undefined;
  #lastPhysicalMinOffset = 0;
  #diskFull = false;

  constructor(opts: CleanServiceOptions) {
    this.#opts = opts;
  }

  get diskFull(): boolean {
    return this.#diskFull;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.runOnce().catch((e: unknown) => log.error({ err: e }, 'clean round failed'));
    }, this.#opts.config.cleanResourceInterval);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One round: measure the disk, delete what the policy allows, update the disk-full flag. */
  runOnce(): Promise<CleanReport> {
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Measures the disk and sets the disk-full flag only (called at start). */
  async checkDisk(): Promise<number> {
    const usage = await this.#opts.diskUsage();
    this.#setDiskFull(cleanDecision(this.#opts.config, usage, this.#opts.now()).diskFull);
    return usage;
  }

  async #round(): Promise<CleanReport> {
    const { config, commitLog, queues, index } = this.#opts;
    const usage = await this.#opts.diskUsage();
    const now = this.#opts.now();
    const d = cleanDecision(config, usage, now);
    this.#setDiskFull(d.diskFull);
    const report: CleanReport = { ...d, diskUsage: usage, commitLogFilesDeleted: 0, consumeQueueFilesDeleted: 0, indexFilesDeleted: 0 };
    if (d.deleteExpired) {
      report.commitLogFilesDeleted = commitLog.deleteExpiredFiles(config.fileReservedTime * 3_600_000, now, {
        force: d.cleanImmediately,
        maxFiles: DELETE_FILES_BATCH_MAX,
      });
      if (report.commitLogFilesDeleted > 0) {
        log.info({ deleted: report.commitLogFilesDeleted, usage, forced: d.cleanImmediately }, 'deleted commit-log files');
      }
    }
    const minPhy = commitLog.getMinOffset();
    if (minPhy > this.#lastPhysicalMinOffset) {
      for (const cq of queues.all()) report.consumeQueueFilesDeleted += cq.deleteExpiredFiles(minPhy);
      if (index !== undefined) report.indexFilesDeleted = index.deleteExpiredFiles(minPhy);
      this.#lastPhysicalMinOffset = minPhy;
    }
    return report;
  }

  #setDiskFull(full: boolean): void {
    if (full === this.#diskFull) return;
    this.#diskFull = full;
    if (full) log.error('disk usage above diskSpaceWarningLevelRatio: appends refused');
    else log.info('disk usage back under diskSpaceWarningLevelRatio: appends accepted');
    this.#opts.onDiskFull(full);
  }
}
