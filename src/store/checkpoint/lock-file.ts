// The store `lock` file: Node has no flock, so the lock is an exclusively created file holding the owner's PID.
// A lock whose PID is not alive is stale and taken over; a live PID (or another store of this process) means refuse.
import { openSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { RocketMQError, ERROR_CODES } from '../../common/errors.ts';

/** Lock paths held by stores in this process (a second store in the same process must be refused too). */
const heldHere = new Set<string>();

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isNaN(n) ? undefined : n;
  } catch {
    return undefined;
  }
}

export class StoreLock {
  readonly path: string;
  readonly storeDir: string;
  #held = false;

  constructor(path: string, storeDir: string) {
    this.path = resolve(path);
    this.storeDir = storeDir;
  }

  get held(): boolean {
    return this.#held;
  }

  /** Takes the lock or throws RocketMQError(STORE) naming the directory and the holder's PID. */
  acquire(): void {
    if (this.#held) return;
    if (heldHere.has(this.path)) this.#refuse(process.pid);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.path, 'wx');
        try {
          writeSync(fd, String(process.pid));
        } finally {
          closeSync(fd);
        }
        this.#held = true;
        heldHere.add(this.path);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new RocketMQError(ERROR_CODES.STORE, `cannot create store lock ${this.path}`, { cause: e });
        }
      }
      const holder = readHolder(this.path);
      // Our own PID but not held by a store of this process: left over by a crash simulated in this process.
      if (holder !== undefined && holder !== process.pid && pidAlive(holder)) this.#refuse(holder);
      rmSync(this.path, { force: true });
    }
    throw new RocketMQError(ERROR_CODES.STORE, `cannot take store lock ${this.path}: contended`);
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    heldHere.delete(this.path);
    if (readHolder(this.path) === process.pid) rmSync(this.path, { force: true });
  }

  /** Forget the lock without removing the file, as a killed process would (crash simulations in tests). */
  abandon(): void {
    this.#held = false;
    heldHere.delete(this.path);
  }

  #refuse(pid: number): never {
    throw new RocketMQError(
      ERROR_CODES.STORE,
      `store directory ${this.storeDir} is locked by another running store (pid ${pid}, lock file ${this.path})`,
    );
  }
}
