// Delay levels (PROTOCOL.md §8.1): "1s 5s … 2h", units s/m/h/d; level i (1-based) is the i-th entry.
import { RocketMQError, ERROR_CODES } from '../../common/errors.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Delay of each level in ms; index 0 is level 1. */
export function parseDelayLevels(spec: string): number[] {
  const out: number[] = [];
  for (const token of spec.trim().split(/\s+/)) {
    if (token === '') continue;
    const m = /^(\d+)([smhd])$/.exec(token);
    if (m === null) throw new RocketMQError(ERROR_CODES.CONFIG, `bad messageDelayLevel entry "${token}" in "${spec}"`);
    out.push(Number(m[1]) * UNIT_MS[m[2]]);
  }
  return out;
}

/** ConsumeQueue tagsCode of a SCHEDULE_TOPIC_XXXX record: its deliver time (levels above the table are capped). */
export function deliverTimestamp(levels: readonly number[], level: number, storeTimestamp: number): number {
  if (levels.length === 0 || level <= 0) return storeTimestamp;
  const capped = Math.min(level, levels.length);
  return storeTimestamp + levels[capped - 1];
}
