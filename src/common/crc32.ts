// CRC32 (ISO-HDLC, the same polynomial as java.util.zip.CRC32) via @node-rs/crc32.
import { crc32 as nativeCrc32 } from '@node-rs/crc32';

/** CRC32 of `buf` as an unsigned 32-bit number. */
export function crc32(buf: Uint8Array): number {
  return nativeCrc32(buf) >>> 0;
}

/** The body CRC stored in a message record: CRC32 & 0x7FFFFFFF (§5.2, UtilAll.crc32). */
export function bodyCrc(buf: Uint8Array): number {
  return nativeCrc32(buf) & 0x7fffffff;
}
