// Length-field frame accumulator (PROTOCOL.md §1.1). No sockets: feed it chunks, get back frames.
//
// A frame as returned = the bytes after the 4-byte length field (header word + header + body), ready for
// decodeFrame(). Chunks are kept as a list; a frame that lies inside one chunk is returned as a view of it (no copy);
// only a frame split across chunks is copied once into a buffer of its own. Buffering is bounded by one frame.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { DEFAULT_MAX_FRAME_LENGTH, LENGTH_FIELD_SIZE, MAX_HEADER_LENGTH } from '../protocol/remoting-codec.ts';

export interface FrameDecoderOptions {
  /** Largest accepted value of the length field; default 16 MiB like Java. */
  maxFrameLength?: number;
}

export class FrameDecoder {
  readonly maxFrameLength: number;
  #chunks: Buffer[] = [];
  /** Read position inside #chunks[0]. */
  #offset = 0;
  /** Unconsumed bytes over all chunks. */
  #buffered = 0;
  /** Length field of the frame being accumulated, or -1 while the length is not known yet. */
  #frameLength = -1;
  #failure: RocketMQError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 4 || max > 0x7fffffff) {
      throw new RocketMQError(ERROR_CODES.CONFIG, `maxFrameLength must be an integer in [4, 2^31-1], got ${max}`);
    }
    this.maxFrameLength = max;
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /**
   * Add a chunk; returns every frame it completes (possibly none). Throws RocketMQError(PROTOCOL) on an impossible length
   * or header length; the decoder then stays failed (every later push throws the same error) — close the connection.
   */
  push(chunk: Buffer): Buffer[] {
    if (this.#failure) throw this.#failure;
    const frames: Buffer[] = [];
    if (chunk.length === 0) return frames;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      if (this.#frameLength < 0) {
        if (this.#buffered < 8) {
          // Reject a bad length as soon as its 4 bytes are here, without waiting for the header word.
          if (this.#buffered >= 4) this.#checkLength(this.#peekInt32(0));
          break;
        }
        const length = this.#peekInt32(0);
        this.#checkLength(length);
        const headerLength = this.#peekInt32(4) & MAX_HEADER_LENGTH;
        if (headerLength > length - 4) this.#fail(`header length ${headerLength} exceeds frame length ${length} - 4`);
        this.#frameLength = length;
      }
      if (this.#buffered < LENGTH_FIELD_SIZE + this.#frameLength) break;
      this.#skip(LENGTH_FIELD_SIZE);
      frames.push(this.#take(this.#frameLength));
      this.#frameLength = -1;
    }
    return frames;
  }

  /** Drop everything buffered (after the connection closed). */
  reset(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#buffered = 0;
    this.#frameLength = -1;
  }

  #checkLength(length: number): void {
    if (length < 4) this.#fail(`frame length ${length} is below the 4-byte header word`);
    if (length > this.maxFrameLength) this.#fail(`frame length ${length} exceeds the maximum ${this.maxFrameLength}`);
  }

  #fail(message: string): never {
    this.#failure = new RocketMQError(ERROR_CODES.PROTOCOL, message);
    this.reset();
    throw this.#failure;
  }

  /** Big-endian int32 at `at` bytes past the read position (caller ensures at + 4 <= buffered). */
  #peekInt32(at: number): number {
    const first = this.#chunks[0];
    const pos = this.#offset + at;
    if (pos + 4 <= first.length) return first.readInt32BE(pos);
    let value = 0;
    let ci = 0;
    let p = pos;
    for (let n = 0; n < 4; n++) {
      while (p >= this.#chunks[ci].length) {
        p -= this.#chunks[ci].length;
        ci++;
      }
      value = (value << 8) | this.#chunks[ci][p];
      p++;
    }
    return value | 0;
  }

  #skip(n: number): void {
    this.#buffered -= n;
    while (n > 0) {
      const first = this.#chunks[0];
      const left = first.length - this.#offset;
      if (n < left) {
        this.#offset += n;
        return;
      }
      n -= left;
      this.#chunks.shift();
      this.#offset = 0;
    }
  }

  #take(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0];
    const left = first.length - this.#offset;
    if (n <= left) {
      const view = first.subarray(this.#offset, this.#offset + n);
      if (n === left) {
        this.#chunks.shift();
        this.#offset = 0;
      } else {
        this.#offset += n;
      }
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    while (written < n) {
      const c = this.#chunks[0];
      const avail = c.length - this.#offset;
      const want = n - written;
      if (want < avail) {
        c.copy(out, written, this.#offset, this.#offset + want);
        this.#offset += want;
        written += want;
      } else {
        c.copy(out, written, this.#offset);
        written += avail;
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    return out;
  }
}
