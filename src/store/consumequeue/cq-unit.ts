// One 20-byte ConsumeQueue unit (PROTOCOL.md §7.3): int64 commit-log offset, int32 record size, int64 tagsCode.

export const CQ_UNIT_SIZE = 20;

export interface CqUnit {
  commitLogOffset: number;
  size: number;
  tagsCode: number;
}

export function writeCqUnit(buf: Buffer, pos: number, commitLogOffset: number, size: number, tagsCode: number): void {
  buf.writeBigInt64BE(BigInt(commitLogOffset), pos);
  buf.writeInt32BE(size, pos + 8);
  buf.writeBigInt64BE(BigInt(Math.trunc(tagsCode)), pos + 12);
}

export function encodeCqUnit(commitLogOffset: number, size: number, tagsCode: number): Buffer {
  const buf = Buffer.allocUnsafe(CQ_UNIT_SIZE);
  writeCqUnit(buf, 0, commitLogOffset, size, tagsCode);
  return buf;
}

export function readCqUnit(buf: Buffer, pos: number): CqUnit {
  return {
    commitLogOffset: Number(buf.readBigInt64BE(pos)),
    size: buf.readInt32BE(pos + 8),
    tagsCode: Number(buf.readBigInt64BE(pos + 12)),
  };
}

/** A unit is valid while its offset is ≥ 0 and its size > 0 (ConsumeQueue.recover stops at the first that is not). */
export function isValidCqUnit(buf: Buffer, pos: number): boolean {
  return buf.readBigInt64BE(pos) >= 0n && buf.readInt32BE(pos + 8) > 0;
}
