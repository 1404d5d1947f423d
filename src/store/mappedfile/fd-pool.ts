// A bounded set of open file descriptors shared by many MappedFileQueues (all consume queues of a store): thousands of
// queues must not each keep a descriptor open, or the process dies with EMFILE. Least recently used idle files are
// closed first; their owner reopens them on demand.
import { createLogger } from '../../common/logger.ts';

const log = createLogger('fd-pool');

/** One open file as the pool sees it; the owner decides whether it may be closed now. */
export interface PooledFile {
  /** True when nothing is in flight on the descriptor and nothing waits to be written or synced through it. */
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

  /** Closes least recently used idle files until the pool is within its cap (or nothing more can close). */
  trim(keep?: PooledFile): void {
    if (this.#lru.size <= this.maxOpen) return;
    for (const f of this.#lru.keys()) {
      if (this.#lru.size <= this.maxOpen) break;
      if (f === keep || !f.canClose()) continue;
      f.closeFd();
      this.#lru.delete(f);
    }
    if (this.#lru.size > this.maxOpen && !this.#overLogged) {
      this.#overLogged = true;
      log.warn({ open: this.#lru.size, maxOpen: this.maxOpen }, 'more files busy than the open-file cap allows; over the cap until they finish');
    } else if (this.#lru.size <= this.maxOpen) {
      this.#overLogged = false;
    }
  }
}
