// ResetOffsetBody (PROTOCOL.md §4.7): `{"offsetTable":{{MessageQueue}:offset}}`. Reply body of
// INVOKE_BROKER_TO_RESET_OFFSET (222) and request body of RESET_CONSUMER_CLIENT_OFFSET (220, broker → consumer).
import { asObject, parseBodyJson, toNumber } from './json-fields.ts';
import { decodeMessageQueueMap, encodeMessageQueueMap } from './message-queue.ts';
import type { MessageQueueEntries } from './message-queue.ts';

export interface ResetOffsetBody {
  offsetTable: MessageQueueEntries<number>;
}

/** fastjson form with MessageQueue objects as keys (what Java clients and mqadmin parse). */
export function serializeResetOffsetBody(b: ResetOffsetBody): Buffer {
  return Buffer.from(`{"offsetTable":${encodeMessageQueueMap(b.offsetTable, (n) => n)}}`);
}

export function resetOffsetBodyFromJson(v: unknown, what = 'ResetOffsetBody'): ResetOffsetBody {
  const o = asObject(v, what);
  return { offsetTable: decodeMessageQueueMap(o.offsetTable, `${what}.offsetTable`, (x, w) => toNumber(x, w)) };
}

export function parseResetOffsetBody(body: Buffer | string | undefined): ResetOffsetBody {
  return resetOffsetBodyFromJson(parseBodyJson(body, 'ResetOffsetBody'));
}
