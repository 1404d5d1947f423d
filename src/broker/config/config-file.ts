// Persistence of the broker's JSON config files (topics.json, subscriptionGroup.json, consumerOffset.json, …).
// PROTOCOL.md §7.7: the previous file is kept as `<file>.bak`, the new one is written and fsynced; load falls back to
// `.bak`. We write `<file>.tmp` first and rename it into place, so a crash never leaves a half-written main file.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ERROR_CODES, RocketMQError, errorMessage } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { parseLenientJson } from '../../common/lenient-json.ts';

export interface LoadedConfigFile<T> {
  value: T;
  /** Which file the value came from. */
  source: 'main' | 'bak';
  path: string;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the file itself is already durable.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `text` to `path` atomically: tmp file + fsync, old file → `.bak`, tmp → `path`, directory fsync. */
export function writeConfigFileAtomic(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (existsSync(path)) renameSync(path, `${path}.bak`);
  renameSync(tmp, path);
  fsyncDir(dir);
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RocketMQError(ERROR_CODES.STORE, `cannot read ${path}: ${errorMessage(e)}`, { cause: e });
  }
}

/**
 * Loads a JSON config file (lenient: fastjson bare numeric keys accepted) and decodes it. An empty, unparsable or
 * undecodable main file is renamed to `<file>.corrupt` and `<file>.bak` is used instead. Returns undefined when neither
 * file exists (first start). Throws RocketMQError CONFIG when the only file(s) present cannot be decoded.
 */
export function loadConfigFile<T>(
  path: string,
  decode: (json: unknown) => T,
  logger?: Logger,
): LoadedConfigFile<T> | undefined {
  const tryDecode = (text: string): T => decode(parseLenientJson(text));
  const main = readIfPresent(path);
  let mainError: unknown;
  if (main !== undefined && main.trim() !== '') {
    try {
      return { value: tryDecode(main), source: 'main', path };
    } catch (e) {
      mainError = e;
      logger?.error({ path, err: errorMessage(e) }, 'config file is corrupt, falling back to .bak');
    }
  }
  if (main !== undefined) renameSync(path, `${path}.corrupt`);
  const bakPath = `${path}.bak`;
  const bak = readIfPresent(bakPath);
  if (bak === undefined || bak.trim() === '') {
    if (mainError !== undefined) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `${path} is corrupt (${errorMessage(mainError)}) and no usable ${bakPath}`, {
        cause: mainError,
      });
    }
    return undefined;
  }
  try {
    const value = tryDecode(bak);
    logger?.warn({ path: bakPath }, 'loaded config from backup file');
    return { value, source: 'bak', path: bakPath };
  } catch (e) {
    throw new RocketMQError(ERROR_CODES.CONFIG, `${path} and ${bakPath} are both unusable: ${errorMessage(e)}`, { cause: e });
  }
}

/** JSON text in the layout Java's ConfigManager writes (pretty-printed with tabs). */
export function toConfigJson(value: unknown): string {
  return JSON.stringify(value, null, '\t');
}

/** Java BrokerPathConfigHelper: `<storePathRootDir>/config/<name>` (topics.json, consumerOffset.json, …). */
export function brokerConfigFilePath(storePathRootDir: string, name: string): string {
  return join(storePathRootDir, 'config', name);
}
