// DataVersion (PROTOCOL.md §4.4): `{"counter":n,"stateVersion":0,"timestamp":ms}`. Equality of all three fields
// decides whether the NameServer re-reads a broker's topics.
import { asObject, optNumber, parseBodyJson } from './json-fields.ts';

export interface DataVersion {
  stateVersion: number;
  timestamp: number;
  counter: number;
}

export function newDataVersion(now: number = Date.now()): DataVersion {
  return { stateVersion: 0, timestamp: now, counter: 0 };
}

/** The next version: counter + 1, new timestamp (Java's nextVersion). */
export function nextDataVersion(dv: DataVersion, now: number = Date.now(), stateVersion = 0): DataVersion {
  return { stateVersion, timestamp: now, counter: dv.counter + 1 };
}

export function dataVersionEquals(a: DataVersion | undefined, b: DataVersion | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.stateVersion === b.stateVersion && a.timestamp === b.timestamp && a.counter === b.counter;
}

export function dataVersionToJson(dv: DataVersion): Record<string, number> {
  return { counter: dv.counter, stateVersion: dv.stateVersion, timestamp: dv.timestamp };
}

export function dataVersionFromJson(v: unknown, what = 'DataVersion'): DataVersion {
  const o = asObject(v, what);
  return {
    stateVersion: optNumber(o, 'stateVersion', what, 0),
    timestamp: optNumber(o, 'timestamp', what, 0),
    counter: optNumber(o, 'counter', what, 0),
  };
}

export function serializeDataVersion(dv: DataVersion): Buffer {
  return Buffer.from(JSON.stringify(dataVersionToJson(dv)));
}

export function parseDataVersion(body: Buffer | string | undefined): DataVersion {
  return dataVersionFromJson(parseBodyJson(body, 'DataVersion'));
}
