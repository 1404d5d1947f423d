// Outcome of MessageStore.getMessage (PROTOCOL.md §9, DefaultMessageStore.getMessage).

export const GetMessageStatus = {
  FOUND: 'FOUND',
  NO_MATCHED_MESSAGE: 'NO_MATCHED_MESSAGE',
  MESSAGE_WAS_REMOVING: 'MESSAGE_WAS_REMOVING',
  OFFSET_FOUND_NULL: 'OFFSET_FOUND_NULL',
  OFFSET_OVERFLOW_BADLY: 'OFFSET_OVERFLOW_BADLY',
  OFFSET_OVERFLOW_ONE: 'OFFSET_OVERFLOW_ONE',
  OFFSET_TOO_SMALL: 'OFFSET_TOO_SMALL',
  NO_MATCHED_LOGIC_QUEUE: 'NO_MATCHED_LOGIC_QUEUE',
  NO_MESSAGE_IN_QUEUE: 'NO_MESSAGE_IN_QUEUE',
} as const;
export type GetMessageStatus = (typeof GetMessageStatus)[keyof typeof GetMessageStatus];

/** Tag / property filter applied while reading (the broker builds it from the subscription). */
export interface MessageFilter {
  /** Checked against the ConsumeQueue tagsCode before the record is read. */
  isMatchedByTagsCode(tagsCode: number): boolean;
  /** Optional second check against the stored record's properties (SQL92-style filters). */
  isMatchedByProperties?(properties: Readonly<Record<string, string>>): boolean;
}

export interface GetMessageResult {
  status: GetMessageStatus;
  /** Next logical offset the consumer should pull from. */
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** Raw stored records (views into the store's buffers, never re-encoded), in queue order. */
  messages: Buffer[];
  /** Queue offsets of `messages`, same order. */
  queueOffsets: number[];
  bufferTotalSize: number;
  messageCount: number;
}
