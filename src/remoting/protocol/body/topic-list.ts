// TopicList (PROTOCOL.md §4.5): `{"brokerAddr":"…"(optional),"topicList":["t1","t2"]}`.
import { asObject, optString, optStringArray, parseBodyJson } from './json-fields.ts';

export interface TopicList {
  topicList: string[];
  brokerAddr?: string;
}

export function serializeTopicList(tl: TopicList): Buffer {
  const o: Record<string, unknown> = {};
  if (tl.brokerAddr !== undefined) o.brokerAddr = tl.brokerAddr;
  o.topicList = tl.topicList;
  return Buffer.from(JSON.stringify(o));
}

export function topicListFromJson(v: unknown, what = 'TopicList'): TopicList {
  const o = asObject(v, what);
  const tl: TopicList = { topicList: optStringArray(o, 'topicList', what) };
  const addr = optString(o, 'brokerAddr', what);
  if (addr !== undefined) tl.brokerAddr = addr;
  return tl;
}

export function parseTopicList(body: Buffer | string | undefined): TopicList {
  return topicListFromJson(parseBodyJson(body, 'TopicList'));
}
