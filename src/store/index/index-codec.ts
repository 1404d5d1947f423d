// IndexFile layout (PROTOCOL.md §7.4): 40-byte header, slotNum int32 slots, then indexNum 20-byte entries. Pure.
import { javaStringHashCode } from '../../common/java-hash.ts';
import { readInt64, writeInt64 } from '../../common/message/int64.ts';

export const INDEX_HEADER_SIZE = 40;
export const HASH_SLOT_SIZE = 4;
export const INDEX_ENTRY_SIZE = 20;
/** Slot value / previous-entry number meaning "none"; entry 0 is never used, so indexCount starts at 1. */
export const INVALID_INDEX = 0;

export interface IndexHeader {
  beginTimestamp: number;
  endTimestamp: number;
  beginPhyOffset: number;
  endPhyOffset: number;
  /** Number of slots in use (informational). */
  hashSlotCount: number;
  /** Next entry number; starts at 1. */
  indexCount: number;
}

export function emptyIndexHeader(): IndexHeader {
  return { beginTimestamp: 0, endTimestamp: 0, beginPhyOffset: 0, endPhyOffset: 0, hashSlotCount: 0, indexCount: 1 };
}

/** Reads a header; an indexCount ≤ 0 (never written) reads as 1, as Java's IndexHeader.load does. */
export function readIndexHeader(buf: Buffer, pos = 0): IndexHeader {
  const indexCount = buf.readInt32BE(pos + 36);
  return {
    beginTimestamp: readInt64(buf, pos),
    endTimestamp: readInt64(buf, pos + 8),
    beginPhyOffset: readInt64(buf, pos + 16),
    endPhyOffset: readInt64(buf, pos + 24),
    hashSlotCount: buf.readInt32BE(pos + 32),
    indexCount: indexCount <= 0 ? 1 : indexCount,
  };
}

export function writeIndexHeader(h: IndexHeader, buf: Buffer, pos = 0): void {
  writeInt64(buf, h.beginTimestamp, pos);
  writeInt64(buf, h.endTimestamp, pos + 8);
  writeInt64(buf, h.beginPhyOffset, pos + 16);
  writeInt64(buf, h.endPhyOffset, pos + 24);
  buf.writeInt32BE(h.hashSlotCount, pos + 32);
  buf.writeInt32BE(h.indexCount, pos + 36);
}

export interface IndexEntry {
  keyHash: number;
  phyOffset: number;
  /** Seconds since the header's beginTimestamp. */
  timeDiff: number;
  /** Number of the previous entry in the same slot (0 = end of chain). */
  prevIndex: number;
}

export function readIndexEntry(buf: Buffer, pos: number): IndexEntry {
  return {
    keyHash: buf.readInt32BE(pos),
    phyOffset: readInt64(buf, pos + 4),
    timeDiff: buf.readInt32BE(pos + 12),
    prevIndex: buf.readInt32BE(pos + 16),
  };
}

export function writeIndexEntry(e: IndexEntry, buf: Buffer, pos: number): void {
  buf.writeInt32BE(e.keyHash, pos);
  writeInt64(buf, e.phyOffset, pos + 4);
  buf.writeInt32BE(e.timeDiff, pos + 12);
  buf.writeInt32BE(e.prevIndex, pos + 16);
}

/** Size of an index file: 40 + slotNum×4 + indexNum×20. */
export function indexFileSize(slotNum: number, indexNum: number): number {
  return INDEX_HEADER_SIZE + slotNum * HASH_SLOT_SIZE + indexNum * INDEX_ENTRY_SIZE;
}

/** Byte position of slot `slot`. */
export function slotPosition(slot: number): number {
  return INDEX_HEADER_SIZE + slot * HASH_SLOT_SIZE;
}

/** Byte position of entry number `index`. */
export function entryPosition(slotNum: number, index: number): number {
  return INDEX_HEADER_SIZE + slotNum * HASH_SLOT_SIZE + index * INDEX_ENTRY_SIZE;
}

/** The index key of a message key: `topic#key`. */
export function buildIndexKey(topic: string, key: string): string {
  return `${topic}#${key}`;
}

/** abs(String.hashCode(key)), with Integer.MIN_VALUE (whose abs stays negative) mapped to 0. */
export function indexKeyHash(key: string): number {
  const h = Math.abs(javaStringHashCode(key));
  return h > 0x7fffffff ? 0 : h;
}

/** Seconds from `beginTimestamp` to `storeTimestamp`, clamped to [0, int32 max]; 0 while the file has no begin. */
export function timeDiffSeconds(beginTimestamp: number, storeTimestamp: number): number {
  if (beginTimestamp <= 0) return 0;
  const d = Math.trunc((storeTimestamp - beginTimestamp) / 1000);
  if (d <= 0) return 0;
  return d > 0x7fffffff ? 0x7fffffff : d;
}
