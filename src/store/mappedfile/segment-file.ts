// Creating and checking segment files on disk. A segment appears under its final name only once it has its full size
// (temp file sized, then renamed), so a process crash while creating one leaves at most a stray temp file. The size is
// not fdatasync'ed at creation (that cost ~1.4 ms of event-loop time per new consume queue): it becomes durable with the
// first flush of data into the segment, so a power loss can only leave the newest segment short or empty — which load
// repairs (only the newest segment may be short).
import fs from 'node:fs';
import { RocketMQError, ERROR_CODES, errorMessage } from '../../common/errors.ts';

/** Suffix of a segment being created; never matches the 20-digit segment name, removed at load. */
export const CREATING_SUFFIX = '.creating';

/**
 * Creates `path` with `size` zero bytes atomically (temp file, ftruncate, rename) and returns an fd opened
 * read-write on it. The directory entry is made durable later by `fsyncDir` (the owner does it before it reports any
 * byte of the new segment as flushed). Throws RocketMQError(STORE).
 */
export function createSegmentFile(path: string, size: number): number {
  const tmp = path + CREATING_SUFFIX;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w+');
    fs.ftruncateSync(fd, size);
    fs.renameSync(tmp, path);
    return fd;
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw new RocketMQError(ERROR_CODES.STORE, `cannot create segment ${path}: ${errorMessage(e)}`, { cause: e });
  }
}

/** fsyncs a directory so that names created or removed in it survive a power loss (a no-op where unsupported). */
export function fsyncDir(dir: string, cb: (err: Error | null) => void): void {
  fs.open(dir, 'r', (err, fd) => {
    if (err !== null) {
      cb(ignorableDirSyncError(err) ? null : err);
      return;
    }
    fs.fsync(fd, (syncErr) => {
      fs.close(fd, () => cb(syncErr === null || ignorableDirSyncError(syncErr) ? null : syncErr));
    });
  });
}

/** Synchronous fsyncDir (load, truncation). */
export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    if (!ignorableDirSyncError(e)) {
      throw new RocketMQError(ERROR_CODES.STORE, `cannot fsync directory ${dir}: ${errorMessage(e)}`, { cause: e });
    }
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function ignorableDirSyncError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  // Windows cannot open or fsync a directory; some file systems refuse fsync on one.
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES';
}

/** Whether the first `size` bytes of the file are all zero (an interrupted creation wrote nothing into it). */
export function isAllZero(path: string, size: number): boolean {
  if (size === 0) return true;
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(size, 1 << 20));
    let pos = 0;
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
      if (n === 0) break;
      for (let i = 0; i < n; i++) if (buf[i] !== 0) return false;
      pos += n;
    }
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What load does with a segment whose size is not `fileSize`: the newest segment may be left short by an interrupted
 * creation or truncation — deleted when it holds no byte, else extended with zeros (recovery then truncates at the first
 * invalid record). Any other segment of the wrong size, or a segment larger than `fileSize`, is a STORE error.
 * Returns false when the file was deleted.
 */
export function repairShortSegment(path: string, actual: number, fileSize: number, isLast: boolean, onRepair: (msg: string) => void): boolean {
  if (!isLast || actual > fileSize) {
    throw new RocketMQError(ERROR_CODES.STORE, `segment ${path} has ${actual} bytes, expected ${fileSize}`);
  }
  try {
    if (isAllZero(path, actual)) {
      fs.unlinkSync(path);
      onRepair(`deleted empty segment ${path} (${actual} bytes; its creation was interrupted)`);
      return false;
    }
    const fd = fs.openSync(path, 'r+');
    try {
      fs.ftruncateSync(fd, fileSize);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw new RocketMQError(ERROR_CODES.STORE, `cannot repair short segment ${path}: ${errorMessage(e)}`, { cause: e });
  }
  onRepair(`extended short segment ${path} from ${actual} to ${fileSize} bytes`);
  return true;
}
