// GroupList (PROTOCOL.md §4.5): `{"groupList":["g1"]}` (QUERY_TOPIC_CONSUME_BY_WHO 300, QUERY_TOPICS_BY_CONSUMER peers).
import { asObject, optStringArray, parseBodyJson } from './json-fields.ts';

export interface GroupList {
  groupList: string[];
}

export function serializeGroupList(g: GroupList): Buffer {
  return Buffer.from(JSON.stringify({ groupList: g.groupList }));
}

export function groupListFromJson(v: unknown, what = 'GroupList'): GroupList {
  return { groupList: optStringArray(asObject(v, what), 'groupList', what) };
}

export function parseGroupList(body: Buffer | string | undefined): GroupList {
  return groupListFromJson(parseBodyJson(body, 'GroupList'));
}
