// delayOffset.json (PROTOCOL.md §7.7): `{"offsetTable":{1:0,2:17,…},"dataVersion":{…}}`, delay level → next
// SCHEDULE_TOPIC_XXXX queue (level − 1) offset to deliver. Refuses to persist before it has loaded the file, so a
// broker that failed half-way through start never overwrites real progress with an empty table (rocketmq#6881).
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { asObject } from '../../remoting/protocol/body/json-fields.ts';
import { dataVersionFromJson, dataVersionToJson, newDataVersion, nextDataVersion } from '../../remoting/protocol/body/data-version.ts';
import type { DataVersion } from '../../remoting/protocol/body/data-version.ts';
import { loadConfigFile, toConfigJson, writeConfigFileAtomic } from '../config/config-file.ts';

export interface DelayOffsetFile {
  offsets: Map<number, number>;
  dataVersion: DataVersion;
}

/** Decodes the delayOffset.json shape (keys may be bare ints or strings). */
export function decodeDelayOffsetJson(json: unknown): DelayOffsetFile {
  const o = asObject(json, 'delayOffset.json');
  const offsets = new Map<number, number>();
  const table = o.offsetTable === undefined || o.offsetTable === null ? {} : asObject(o.offsetTable, 'delayOffset.json offsetTable');
  for (const [k, v] of Object.entries(table)) {
    const level = Number(k);
    const off = typeof v === 'string' ? Number(v) : v;
    if (!Number.isInteger(level) || level <= 0 || typeof off !== 'number' || !Number.isInteger(off) || off < 0) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `delayOffset.json: bad entry ${k}: ${String(v)}`);
    }
    offsets.set(level, off);
  }
  const dataVersion = o.dataVersion === undefined ? newDataVersion(0) : dataVersionFromJson(o.dataVersion, 'delayOffset.json dataVersion');
  return { offsets, dataVersion };
}

export class DelayOffsetTable {
  readonly path: string;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  #offsets = new Map<number, number>();
  #dataVersion: DataVersion;
  #loaded = false;
  #dirty = false;

  constructor(path: string, options: { now?: () => number; logger?: Logger } = {}) {
    this.path = path;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#dataVersion = newDataVersion(this.#now());
  }

  /** Reads the file (or its .bak); a missing file means "nothing delivered yet". Throws CONFIG when unreadable. */
  load(): 'main' | 'bak' | 'none' {
    const loaded = loadConfigFile(this.path, decodeDelayOffsetJson, this.#logger);
    if (loaded !== undefined) {
      this.#offsets = loaded.value.offsets;
      this.#dataVersion = loaded.value.dataVersion;
    }
    this.#loaded = true;
    return loaded?.source ?? 'none';
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get dataVersion(): DataVersion {
    return { ...this.#dataVersion };
  }

  /** Next offset to deliver for a level (0 when never delivered). */
  get(level: number): number {
    return this.#offsets.get(level) ?? 0;
  }

  set(level: number, offset: number): void {
    if (this.#offsets.get(level) === offset) return;
    this.#offsets.set(level, offset);
    this.#dirty = true;
  }

  entries(): Array<[number, number]> {
    return [...this.#offsets].sort((a, b) => a[0] - b[0]);
  }

  /** The file's JSON (pretty for the file; compact for GET_ALL_DELAY_OFFSET 45). */
  encode(pretty = false): string {
    const offsetTable: Record<string, number> = {};
    for (const [level, off] of this.entries()) offsetTable[String(level)] = off;
    const w = { offsetTable, dataVersion: dataVersionToJson(this.#dataVersion) };
    return pretty ? toConfigJson(w) : JSON.stringify(w);
  }

  /** Writes the file when something changed (or `force`); never before load(). */
  persist(force = false): boolean {
    if (!this.#loaded) return false;
    if (!this.#dirty && !force) return false;
    this.#dataVersion = nextDataVersion(this.#dataVersion, this.#now());
    writeConfigFileAtomic(this.path, this.encode(true));
    this.#dirty = false;
    return true;
  }
}
