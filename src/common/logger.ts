import { pino } from 'pino';
import type { Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

const level = process.env.ROCKETMQ_LOG_LEVEL ?? (process.env.NODE_TEST_CONTEXT ? 'silent' : 'info');

/** Root logger: JSON lines on stdout; `ROCKETMQ_LOG_LEVEL` sets the level (silent under node:test unless set). */
export const rootLogger: Logger = pino({ level, base: undefined });

/** A child logger for one component, e.g. `createLogger('namesrv')`. */
export function createLogger(component: string): Logger {
  return rootLogger.child({ component });
}
