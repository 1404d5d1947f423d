// The `abort` file (PROTOCOL.md §7.6): exists while a store runs, holds its PID; found at startup ⇒ the last exit was a crash.
import { existsSync, rmSync, writeFileSync } from 'node:fs';

export function abortFileExists(path: string): boolean {
  return existsSync(path);
}

export function createAbortFile(path: string): void {
  writeFileSync(path, String(process.pid));
}

export function deleteAbortFile(path: string): void {
  rmSync(path, { force: true });
}
