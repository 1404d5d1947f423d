// int64 fields as JS numbers (exact up to 2^53), without BigInt on the hot path.

const TWO_32 = 0x1_0000_0000;

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi | 0, pos);
  buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
}
