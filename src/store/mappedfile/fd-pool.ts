// A bounded set of open file descriptors shared by many MappedFileQueues (all consume queues of a store): thousands of
// queues must not each keep a descriptor open, or the process dies with EMFILE. Least recently used idle files are
// closed first; their owner reopens them on demand.
import { createLogger } from '../../common/logger.ts';

const log = createLogger('fd-pool');
/** Files closed at most, and busy files skipped at most, per trim. */
const TRIM_SCAN = 32;

/** One open file as the pool sees it; the owner decides whether it may be closed now. */
export interface PooledFile {
  /** True when no write or sync is in flight on the descriptor (the owner reopens the file for later writes and syncs). */
  canClose(): boolean;
  /** Closes the descriptor; the owner must call `FdPool.closed(this)` (directly or via its own close path). */
  closeFd(): void;
}

export class FdPool {
  /** Open descriptors above which idle ones are closed. A soft cap: files that cannot close yet are never forced. */
  readonly maxOpen: number;
  /** Open files, least recently used first (Map keeps insertion order). */
  #lru = new Map<PooledFile, true>();
  #overLogged = false;

  constructor(maxOpen: number) {
    this.maxOpen = Math.max(1, Math.floor(maxOpen));
  }

  /** Descriptors currently open through this pool. */
  get size(): number {
    return this.#lru.size;
  }

  /** Records a newly opened file, then closes idle ones while over the cap (never `file` itself). */
  opened(file: PooledFile): void {
    this.#lru.delete(file);
    this.#lru.set(file, true);
    this.trim(file);
  }

  /** Marks an open file as just used. */
  touch(file: PooledFile): void {
    if (this.#lru.delete(file)) this.#lru.set(file, true);
  }

  /** Forgets a file whose descriptor was closed. */
  closed(file: PooledFile): void {
    this.#lru.delete(file);
  }

  /**
   * Closes least recently used idle files until the pool is within its cap (or nothing more can close). Looks at a bounded
   * number of files per call: busy ones (a write or sync in flight) are moved behind the others, so many busy files do not
   * make every open scan all of them.
   */
  trim(keep?: PooledFile): void {
    let excess = this.#lru.size - this.maxOpen;
    if (excess <= 0) return;
    let budget = Math.min(excess, TRIM_SCAN) + TRIM_SCAN;
    const busy: PooledFile[] = [];
    for (const f of this.#lru.keys()) {
      if (excess <= 0 || budget-- <= 0) break;
      if (f === keep || !f.canClose()) {
        busy.push(f);
        continue;
      }
      f.closeFd();
      this.#lru.delete(f);
      excess--;
    }
    for (const f of busy) {
      if (this.#lru.delete(f)) this.#lru.set(f, true);
    }
    if (this.#lru.size > this.maxOpen && !this.#overLogged) {
      this.#overLogged = true;
      log.warn({ open: this.#lru.size, maxOpen: this.maxOpen }, 'more files busy than the open-file cap allows; over the cap until they finish');
    } else if (this.#lru.size <= this.maxOpen) {
      this.#overLogged = false;
    }
  }
}
