// Namespaced KV config (Java KVConfigManager), persisted to kvConfig.json as `{"configTable":{ns:{k:v}}}`.
// Every change is written atomically: temp file, fsync, rename over the old file.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERROR_CODES, RocketMQError, errorMessage } from '../common/errors.ts';
import { parseLenientJson } from '../common/lenient-json.ts';
import type { Logger } from '../common/logger.ts';

/** NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG: topic → "brokerName:queueNum;…". */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

export class KVConfigManager {
  readonly #path: string;
  readonly #log: Logger | undefined;
  readonly #table = new Map<string, Map<string, string>>();

  constructor(path: string, logger?: Logger) {
    this.#path = path;
    this.#log = logger;
  }

  get path(): string {
    return this.#path;
  }

  /** Load the file if it exists. A missing file is an empty table; an unreadable one is a RocketMQError(CONFIG). */
  load(): void {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new RocketMQError(ERROR_CODES.CONFIG, `cannot read ${this.#path}: ${errorMessage(e)}`, { cause: e });
    }
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = parseLenientJson(text);
    } catch (e) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `${this.#path} is not valid JSON: ${errorMessage(e)}`, { cause: e });
    }
    const table = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).configTable : undefined;
    if (typeof table !== 'object' || table === null) return;
    for (const [ns, kv] of Object.entries(table as Record<string, unknown>)) {
      if (typeof kv !== 'object' || kv === null) continue;
      const m = new Map<string, string>();
      for (const [k, v] of Object.entries(kv as Record<string, unknown>)) if (v !== null && v !== undefined) m.set(k, String(v));
      this.#table.set(ns, m);
    }
    this.#log?.info({ path: this.#path, namespaces: this.#table.size }, 'kv config loaded');
  }

  put(namespace: string, key: string, value: string): void {
    let m = this.#table.get(namespace);
    if (!m) this.#table.set(namespace, (m = new Map()));
    m.set(key, value);
    this.persist();
  }

  get(namespace: string, key: string): string | undefined {
    return this.#table.get(namespace)?.get(key);
  }

  delete(namespace: string, key: string): void {
    const m = this.#table.get(namespace);
    if (!m || !m.delete(key)) return;
    this.persist();
  }

  /** The namespace's entries, or undefined when the namespace was never written. */
  getNamespace(namespace: string): Record<string, string> | undefined {
    const m = this.#table.get(namespace);
    return m ? Object.fromEntries(m) : undefined;
  }

  persist(): void {
    const configTable: Record<string, Record<string, string>> = {};
    for (const [ns, m] of this.#table) configTable[ns] = Object.fromEntries(m);
    writeFileAtomic(this.#path, `${JSON.stringify({ configTable }, null, '\t')}\n`);
  }
}

/** Write `content` to `path` so that a crash leaves either the old or the new file, never a torn one. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
