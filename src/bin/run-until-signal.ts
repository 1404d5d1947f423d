// Keep a started role running until SIGINT/SIGTERM, then shut it down cleanly and exit.
import type { Logger } from '../common/logger.ts';
import { errorMessage } from '../common/errors.ts';

export interface Stoppable {
  shutdown(): Promise<void>;
}

export function runUntilSignal(role: Stoppable, log: Logger, what: string): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${what} shutting down`);
    role.shutdown().then(
      () => {
        process.stdout.write(`The ${what} shut down.\n`);
        process.exit(0);
      },
      (e: unknown) => {
        log.error({ err: errorMessage(e) }, `${what} shutdown failed`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
