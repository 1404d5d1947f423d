// RegisterBrokerBody (PROTOCOL.md §4.4): the REGISTER_BROKER body, plain JSON or (header compressed=true) a zlib stream:
//   int32 len + DataVersion JSON; int32 topicCount; per topic int32 len + TopicConfig text; int32 len + filterServerList
//   JSON; (broker version >= V5_0_0) int32 mappingCount; per mapping int32 len + TopicQueueMappingInfo JSON.
import { deflateSync, inflateSync } from 'node:zlib';
import { parseLenientJson } from '../../../common/lenient-json.ts';
import { asObject, bodyError, isObject, optStringArray, parseBodyJson } from './json-fields.ts';
import { dataVersionToJson, parseDataVersion } from './data-version.ts';
import { decodeTopicConfigText, encodeTopicConfigText } from './topic-config.ts';
import {
  topicConfigSerializeWrapperFromJson, topicConfigSerializeWrapperToJson,
} from './topic-config-serialize-wrapper.ts';
import type { TopicConfigSerializeWrapper } from './topic-config-serialize-wrapper.ts';
import { MQVersion } from '../version.ts';

export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

export function registerBrokerBodyToJson(b: RegisterBrokerBody): Record<string, unknown> {
  return {
    filterServerList: b.filterServerList,
    topicConfigSerializeWrapper: topicConfigSerializeWrapperToJson(b.topicConfigSerializeWrapper),
  };
}

export function registerBrokerBodyFromJson(v: unknown, what = 'RegisterBrokerBody'): RegisterBrokerBody {
  const o = asObject(v, what);
  return {
    topicConfigSerializeWrapper: topicConfigSerializeWrapperFromJson(
      o.topicConfigSerializeWrapper ?? {}, `${what}.topicConfigSerializeWrapper`),
    filterServerList: optStringArray(o, 'filterServerList', what),
  };
}

export interface RegisterBrokerBodyCodecOptions {
  /** The header's `compressed` flag. */
  compressed?: boolean;
  /** Version of the sending broker (request.version): mapping infos are present only from V5_0_0 on. */
  brokerVersion?: number;
}

export function serializeRegisterBrokerBody(b: RegisterBrokerBody, options: RegisterBrokerBodyCodecOptions = {}): Buffer {
  if (!options.compressed) return Buffer.from(JSON.stringify(registerBrokerBodyToJson(b)));
  const parts: Buffer[] = [];
  const put = (buf: Buffer): void => {
    parts.push(int32(buf.length), buf);
  };
  const w = b.topicConfigSerializeWrapper;
  put(Buffer.from(JSON.stringify(dataVersionToJson(w.dataVersion))));
  const topics = Object.values(w.topicConfigTable);
  parts.push(int32(topics.length));
  for (const tc of topics) put(Buffer.from(encodeTopicConfigText(tc)));
  put(Buffer.from(JSON.stringify(b.filterServerList)));
  if ((options.brokerVersion ?? MQVersion.V5_0_0) >= MQVersion.V5_0_0) {
    const infos = Object.values(w.topicQueueMappingInfoMap ?? {});
    parts.push(int32(infos.length));
    for (const info of infos) put(Buffer.from(JSON.stringify(info)));
  }
  return deflateSync(Buffer.concat(parts), { level: 9 });
}

export function parseRegisterBrokerBody(body: Buffer | undefined, options: RegisterBrokerBodyCodecOptions = {}): RegisterBrokerBody {
  if (!options.compressed) return registerBrokerBodyFromJson(parseBodyJson(body, 'RegisterBrokerBody'));
  if (body === undefined || body.length === 0) throw bodyError('RegisterBrokerBody', 'empty compressed body');
  let raw: Buffer;
  try {
    raw = inflateSync(body);
  } catch (e) {
    throw bodyError('RegisterBrokerBody', `compressed body is not a zlib stream: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = new Reader(raw);
  const dataVersion = parseDataVersion(r.chunk('dataVersion'));
  const wrapper: TopicConfigSerializeWrapper = { dataVersion, topicConfigTable: {} };
  const n = r.int('topic count');
  for (let i = 0; i < n; i++) {
    const tc = decodeTopicConfigText(r.chunk(`topic config #${i}`).toString('utf8'));
    wrapper.topicConfigTable[tc.topicName] = tc;
  }
  let filterServerList: string[] = [];
  const fsl = parseLenientJson(r.chunk('filterServerList'));
  if (Array.isArray(fsl)) filterServerList = optStringArray({ l: fsl }, 'l', 'RegisterBrokerBody.filterServerList');
  if ((options.brokerVersion ?? MQVersion.V5_0_0) >= MQVersion.V5_0_0 && r.remaining >= 4) {
    const m = r.int('mapping count');
    const infos: Record<string, unknown> = {};
    for (let i = 0; i < m; i++) {
      const info = parseLenientJson(r.chunk(`mapping #${i}`));
      const topic = isObject(info) && typeof info.topic === 'string' ? info.topic : String(i);
      infos[topic] = info;
    }
    wrapper.topicQueueMappingInfoMap = infos;
  }
  return { topicConfigSerializeWrapper: wrapper, filterServerList };
}

function int32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n);
  return b;
}

class Reader {
  readonly #buf: Buffer;
  #pos = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  int(what: string): number {
    if (this.remaining < 4) throw bodyError('RegisterBrokerBody', `compressed body truncated reading ${what}`);
    const v = this.#buf.readInt32BE(this.#pos);
    this.#pos += 4;
    if (v < 0) throw bodyError('RegisterBrokerBody', `negative ${what}: ${v}`);
    return v;
  }

  chunk(what: string): Buffer {
    const len = this.int(`${what} length`);
    if (this.remaining < len) throw bodyError('RegisterBrokerBody', `compressed body truncated reading ${what}`);
    const out = this.#buf.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return out;
  }
}
