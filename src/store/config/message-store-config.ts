// Store settings under RocketMQ's own key names (MessageStoreConfig.java) so operators can bring their broker.conf.
import { join } from 'node:path';
import { homedir } from 'node:os';

export const FlushDiskType = { ASYNC_FLUSH: 'ASYNC_FLUSH', SYNC_FLUSH: 'SYNC_FLUSH' } as const;
export type FlushDiskType = (typeof FlushDiskType)[keyof typeof FlushDiskType];

export interface MessageStoreConfig {
  /** Root of the store (default ~/store). */
  storePathRootDir: string;
  /** Commit-log folder; defaults to <root>/commitlog. */
  storePathCommitLog: string;
  /** Commit-log segment size (1 GiB). */
  mappedFileSizeCommitLog: number;
  /** Consume-queue segment size (300,000 units × 20 bytes). */
  mappedFileSizeConsumeQueue: number;
  flushDiskType: FlushDiskType;
  /** Async flush period (ms). */
  flushIntervalCommitLog: number;
  /** Async flush only when at least this many 4 KiB pages are dirty (0 = any). */
  flushCommitLogLeastPages: number;
  /** Flush everything at least this often even under the page threshold (ms). */
  flushCommitLogThoroughInterval: number;
  /** Max wait of a SYNC_FLUSH append for its fdatasync before FLUSH_DISK_TIMEOUT (ms). */
  syncFlushTimeout: number;
  flushIntervalConsumeQueue: number;
  flushConsumeQueueLeastPages: number;
  /** Every this many ms a background consume-queue flush syncs every dirty queue, however few pages (Java default). */
  flushConsumeQueueThoroughInterval: number;
  /**
   * Consume-queue files kept open at most, across all queues (not a RocketMQ key: Java maps files instead). Idle files
   * beyond it are closed least recently used first and reopened on demand. 256 leaves most of the common 1024 soft limit
   * to client sockets, the commit log (≤ 128), index files and config files, while covering the files a busy broker
   * touches within one flush interval (mostly one per active queue).
   */
  maxOpenConsumeQueueFiles: number;
  /** Hours a commit-log / consume-queue file is kept after its last write. */
  fileReservedTime: number;
  /** Hour(s) of day when expired files are deleted, e.g. "04" or "04;16". */
  deleteWhen: string;
  /** Disk usage percentage at which expired files are deleted whatever the hour. */
  diskMaxUsedSpaceRatio: number;
  /** Usage percentage above which files are deleted even if not expired (force clean). */
  diskSpaceCleanForciblyRatio: number;
  /** Usage percentage above which appends are refused (disk full). */
  diskSpaceWarningLevelRatio: number;
  /** Max body size (4 MiB). */
  maxMessageSize: number;
  checkCRCOnRecover: boolean;
  messageIndexEnable: boolean;
  maxHashSlotNum: number;
  maxIndexNum: number;
  /** Max messages a QUERY_MESSAGE by key returns. */
  maxMsgsNumBatch: number;
  defaultQueryMaxNum: number;
  /** Pull byte budget per request. */
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInMemory: number;
  /** Delay levels (used by the broker's schedule service). */
  messageDelayLevel: string;
  /** How often the schedule service persists delayOffset.json (ms). */
  flushDelayOffsetInterval: number;
  /** 5.x timer messages (TIMER_DELIVER_MS / TIMER_DELAY_MS / TIMER_DELAY_SEC) are scheduled by the time wheel. */
  timerWheelEnable: boolean;
  /** Longest accepted timer delay (s); beyond it a send is refused with 13 MESSAGE_ILLEGAL (3 days). */
  timerMaxDelaySec: number;
  /** Timer slot width (ms). */
  timerPrecisionMs: number;
  /** How often the timer log, wheel and timercheck are fsynced (ms). */
  timerFlushIntervalMs: number;
  /** Timer-log segment size (bytes, rounded down to whole records). */
  mappedFileSizeTimerLog: number;
  /** Pause between deleting two files (ms). */
  deleteCommitLogFilesInterval: number;
  deleteConsumeQueueFilesInterval: number;
  /** How often the clean service checks (ms). */
  cleanResourceInterval: number;
}

export function defaultMessageStoreConfig(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  const storePathRootDir = overrides.storePathRootDir ?? join(homedir(), 'store');
  return {
    storePathRootDir,
    storePathCommitLog: join(storePathRootDir, 'commitlog'),
    mappedFileSizeCommitLog: 1024 * 1024 * 1024,
    mappedFileSizeConsumeQueue: 300_000 * 20,
    flushDiskType: FlushDiskType.ASYNC_FLUSH,
    flushIntervalCommitLog: 500,
    flushCommitLogLeastPages: 4,
    flushCommitLogThoroughInterval: 10_000,
    syncFlushTimeout: 5000,
    flushIntervalConsumeQueue: 1000,
    flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 60_000,
    maxOpenConsumeQueueFiles: 256,
    fileReservedTime: 72,
    deleteWhen: '04',
    diskMaxUsedSpaceRatio: 75,
    diskSpaceCleanForciblyRatio: 85,
    diskSpaceWarningLevelRatio: 90,
    maxMessageSize: 4 * 1024 * 1024,
    checkCRCOnRecover: true,
    messageIndexEnable: true,
    maxHashSlotNum: 5_000_000,
    maxIndexNum: 20_000_000,
    maxMsgsNumBatch: 64,
    defaultQueryMaxNum: 32,
    maxTransferBytesOnMessageInMemory: 256 * 1024,
    maxTransferCountOnMessageInMemory: 32,
    messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
    flushDelayOffsetInterval: 10_000,
    timerWheelEnable: true,
    timerMaxDelaySec: 3 * 24 * 3600,
    timerPrecisionMs: 1000,
    timerFlushIntervalMs: 1000,
    mappedFileSizeTimerLog: 100 * 1024 * 1024,
    deleteCommitLogFilesInterval: 100,
    deleteConsumeQueueFilesInterval: 100,
    cleanResourceInterval: 10_000,
    ...overrides,
    ...(overrides.storePathCommitLog === undefined ? { storePathCommitLog: join(storePathRootDir, 'commitlog') } : {}),
  };
}
