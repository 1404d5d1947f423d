// A stored message as tools and callbacks see it (Java MessageExt): decoded record fields, the body inflated, hosts
// as "ip:port" text. Built from a DecodedMessage (PULL / QUERY_MESSAGE / VIEW_MESSAGE_BY_ID / CHECK_TRANSACTION_STATE
// bodies, PROTOCOL.md §5.2, §5.4).
import { decompressBody } from '../../common/message/full-message.ts';
import { formatHostPort } from '../../common/message/host-address.ts';
import { KEY_SEPARATOR, MessageConst } from '../../common/message/message-const.ts';
import type { DecodedMessage } from '../../common/message/message-record.ts';

export interface MessageView {
  topic: string;
  /** UNIQ_KEY when present (what Java calls msgId), else the offsetMsgId. */
  msgId: string;
  /** Broker-side id: store host + commit-log offset (§6.1). */
  offsetMsgId: string;
  tags: string | undefined;
  keys: string[];
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeSize: number;
  bodyCrc: number;
  flag: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** `__transactionId__` property (transactional messages), else undefined. */
  transactionId: string | undefined;
  properties: Record<string, string>;
  /** Body, inflated when it was zlib-compressed (LZ4/ZSTD bodies are returned as stored). */
  body: Buffer;
}

export function toMessageView(m: DecodedMessage): MessageView {
  let body: Buffer;
  try {
    body = Buffer.from(decompressBody(m));
  } catch {
    body = Buffer.from(m.body);
  }
  const keys = m.properties[MessageConst.KEYS];
  return {
    topic: m.topic,
    msgId: m.properties[MessageConst.UNIQ_KEY] ?? m.msgId,
    offsetMsgId: m.msgId,
    tags: m.properties[MessageConst.TAGS],
    keys: keys === undefined ? [] : keys.split(KEY_SEPARATOR).filter((k) => k !== ''),
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    commitLogOffset: m.commitLogOffset,
    storeSize: m.storeSize,
    bodyCrc: m.bodyCrc,
    flag: m.flag,
    sysFlag: m.sysFlag,
    bornTimestamp: m.bornTimestamp,
    bornHost: formatHostPort(m.bornHost),
    storeTimestamp: m.storeTimestamp,
    storeHost: formatHostPort(m.storeHost),
    reconsumeTimes: m.reconsumeTimes,
    preparedTransactionOffset: m.preparedTransactionOffset,
    transactionId: m.properties[MessageConst.TRANSACTION_ID],
    properties: { ...m.properties },
    body,
  };
}
