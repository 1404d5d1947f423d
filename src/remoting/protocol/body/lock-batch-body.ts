// LOCK_BATCH_MQ / UNLOCK_BATCH_MQ bodies (PROTOCOL.md §4.6): LockBatchRequestBody (UnlockBatchRequestBody has the same
// shape) and LockBatchResponseBody, fastjson key order. Written by the client, read by the broker, and back.
import { asObject, bodyError, optString, parseBodyJson, reqString } from './json-fields.ts';
import { messageQueueFromJson, messageQueueToJson } from './message-queue.ts';
import type { MessageQueue } from './message-queue.ts';

export interface LockBatchRequestBody {
  clientId: string;
  consumerGroup: string;
  mqSet: MessageQueue[];
  onlyThisBroker: boolean;
}

export function decodeLockBatchRequestBody(body: Buffer | undefined, what = 'LockBatchRequestBody'): LockBatchRequestBody {
  const o = asObject(parseBodyJson(body, what), what);
  const set = o.mqSet;
  if (set !== undefined && set !== null && !Array.isArray(set)) throw bodyError(what, "field 'mqSet' must be an array");
  const mqSet = (Array.isArray(set) ? set : []).map((v: unknown) => messageQueueFromJson(v, `${what}.mqSet`));
  const only = o.onlyThisBroker;
  return {
    clientId: optString(o, 'clientId', what) ?? '',
    consumerGroup: reqString(o, 'consumerGroup', what),
    mqSet,
    onlyThisBroker: only === true || only === 'true',
  };
}

export function encodeLockBatchRequestBody(b: LockBatchRequestBody): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientId: b.clientId,
      consumerGroup: b.consumerGroup,
      mqSet: b.mqSet.map(messageQueueToJson),
      onlyThisBroker: b.onlyThisBroker,
    }),
  );
}

export function encodeLockBatchResponseBody(locked: readonly MessageQueue[]): Buffer {
  return Buffer.from(JSON.stringify({ lockOKMQSet: locked.map(messageQueueToJson) }));
}

export function decodeLockBatchResponseBody(body: Buffer | undefined): MessageQueue[] {
  if (body === undefined || body.length === 0) return [];
  const o = asObject(parseBodyJson(body, 'LockBatchResponseBody'), 'LockBatchResponseBody');
  const set = o.lockOKMQSet;
  if (set === undefined || set === null) return [];
  if (!Array.isArray(set)) throw bodyError('LockBatchResponseBody', "field 'lockOKMQSet' must be an array");
  return set.map((v: unknown) => messageQueueFromJson(v, 'LockBatchResponseBody.lockOKMQSet'));
}
