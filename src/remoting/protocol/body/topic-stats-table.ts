// TopicStatsTable (PROTOCOL.md §4.7): GET_TOPIC_STATS_INFO (202) reply body.
// `{"offsetTable":{{MessageQueue}:{"lastUpdateTimestamp":ms,"maxOffset":n,"minOffset":n}},"topicPutTps":x}`.
import { asObject, optNumber, parseBodyJson } from './json-fields.ts';
import { decodeMessageQueueMap, encodeMessageQueueMap } from './message-queue.ts';
import type { MessageQueueEntries } from './message-queue.ts';

export interface TopicOffset {
  minOffset: number;
  maxOffset: number;
  /** Store time of the last message in the queue (ms), 0 when empty. */
  lastUpdateTimestamp: number;
}

export interface TopicStatsTable {
  offsetTable: MessageQueueEntries<TopicOffset>;
  /** 5.x field; 0 when absent. */
  topicPutTps: number;
}

export function topicOffsetToJson(t: TopicOffset): Record<string, number> {
  return { lastUpdateTimestamp: t.lastUpdateTimestamp, maxOffset: t.maxOffset, minOffset: t.minOffset };
}

export function topicOffsetFromJson(v: unknown, what = 'TopicOffset'): TopicOffset {
  const o = asObject(v, what);
  return {
    minOffset: optNumber(o, 'minOffset', what, 0),
    maxOffset: optNumber(o, 'maxOffset', what, 0),
    lastUpdateTimestamp: optNumber(o, 'lastUpdateTimestamp', what, 0),
  };
}

/** fastjson form with MessageQueue objects as keys (what Java mqadmin parses). */
export function serializeTopicStatsTable(t: TopicStatsTable): Buffer {
  return Buffer.from(`{"offsetTable":${encodeMessageQueueMap(t.offsetTable, topicOffsetToJson)},"topicPutTps":${JSON.stringify(t.topicPutTps)}}`);
}

export function topicStatsTableFromJson(v: unknown, what = 'TopicStatsTable'): TopicStatsTable {
  const o = asObject(v, what);
  return {
    offsetTable: decodeMessageQueueMap(o.offsetTable, `${what}.offsetTable`, topicOffsetFromJson),
    topicPutTps: optNumber(o, 'topicPutTps', what, 0),
  };
}

export function parseTopicStatsTable(body: Buffer | string | undefined): TopicStatsTable {
  return topicStatsTableFromJson(parseBodyJson(body, 'TopicStatsTable'));
}
