// DataVersion (PROTOCOL.md §4.4): {"counter":n,"stateVersion":0,"timestamp":ms}. Bumped on every config change; the
// NameServer re-reads a broker's topics only when it differs. Broker-side copy until a shared body type exists.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

export interface DataVersionJson {
  counter: number;
  stateVersion: number;
  timestamp: number;
}

function num(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `dataVersion.${field} is not a number`);
}

export class DataVersion {
  #counter = 0;
  #stateVersion = 0;
  #timestamp: number;

  constructor(timestamp: number = Date.now()) {
    this.#timestamp = timestamp;
  }

  get counter(): number {
    return this.#counter;
  }

  get stateVersion(): number {
    return this.#stateVersion;
  }

  get timestamp(): number {
    return this.#timestamp;
  }

  /** Next version: counter + 1, timestamp = now. */
  nextVersion(now: number, stateVersion = 0): void {
    this.#timestamp = now;
    this.#stateVersion = stateVersion;
    this.#counter++;
  }

  assign(other: DataVersion | DataVersionJson): void {
    this.#counter = other.counter;
    this.#stateVersion = other.stateVersion;
    this.#timestamp = other.timestamp;
  }

  copy(): DataVersion {
    const d = new DataVersion(this.#timestamp);
    d.assign(this);
    return d;
  }

  equals(other: DataVersion | DataVersionJson | undefined): boolean {
    return (
      other !== undefined &&
      other.counter === this.#counter &&
      other.stateVersion === this.#stateVersion &&
      other.timestamp === this.#timestamp
    );
  }

  /** Keys in fastjson's (alphabetical) order. */
  toJSON(): DataVersionJson {
    return { counter: this.#counter, stateVersion: this.#stateVersion, timestamp: this.#timestamp };
  }

  /** Decodes a DataVersion object (numbers or numeric strings); missing fields default to 0. */
  static fromJson(json: unknown): DataVersion {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'dataVersion is not an object');
    }
    const o = json as Record<string, unknown>;
    const d = new DataVersion(o.timestamp === undefined ? 0 : num(o.timestamp, 'timestamp'));
    d.assign({
      counter: o.counter === undefined ? 0 : num(o.counter, 'counter'),
      stateVersion: o.stateVersion === undefined ? 0 : num(o.stateVersion, 'stateVersion'),
      timestamp: d.timestamp,
    });
    return d;
  }
}
