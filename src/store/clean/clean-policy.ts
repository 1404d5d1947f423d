// When the clean service may delete files (PROTOCOL.md §7.2, DefaultMessageStore.CleanCommitLogService): pure decisions.
import type { MessageStoreConfig } from '../config/message-store-config.ts';

export interface CleanDecision {
  /** Delete expired files now (time of day matches deleteWhen, or disk usage ≥ diskMaxUsedSpaceRatio). */
  deleteExpired: boolean;
  /** Delete files even if not expired (disk usage ≥ diskSpaceCleanForciblyRatio). */
  cleanImmediately: boolean;
  /** Refuse appends (disk usage ≥ diskSpaceWarningLevelRatio). */
  diskFull: boolean;
}

/** True when the local hour of `now` is one of the hours in deleteWhen ("04" or "04;16"). */
export function isTimeToDelete(deleteWhen: string, now: number): boolean {
  const hour = new Date(now).getHours();
  return deleteWhen
    .split(';')
    .map((h) => h.trim())
    .filter((h) => h !== '')
    .some((h) => Number.parseInt(h, 10) === hour);
}

export function cleanDecision(
  config: Pick<MessageStoreConfig, 'deleteWhen' | 'diskMaxUsedSpaceRatio' | 'diskSpaceCleanForciblyRatio' | 'diskSpaceWarningLevelRatio'>,
  diskUsagePercent: number,
  now: number,
): CleanDecision {
  const diskFull = diskUsagePercent >= config.diskSpaceWarningLevelRatio;
  const cleanImmediately = diskFull || diskUsagePercent >= config.diskSpaceCleanForciblyRatio;
  const deleteExpired = cleanImmediately || diskUsagePercent >= config.diskMaxUsedSpaceRatio || isTimeToDelete(config.deleteWhen, now);
  return { deleteExpired, cleanImmediately, diskFull };
}
