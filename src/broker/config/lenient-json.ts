// Minimal lenient JSON reader for config files written by Java RocketMQ (fastjson): accepts bare map keys such as
// `{0:123}` (PROTOCOL.md §4, §7.7) besides standard JSON. Private to the broker until src/common/lenient-json.ts lands.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';

const BARE_KEY = /[A-Za-z0-9_$.+-]/;

class Reader {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  fail(what: string): never {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `bad JSON at offset ${this.pos}: ${what}`);
  }

  skipWs(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  value(): unknown {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === undefined) this.fail('unexpected end');
    return this.literal();
  }

  object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      const key = this.text[this.pos] === '"' ? this.string() : this.bareKey();
      this.skipWs();
      if (this.text[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipWs();
      const sep = this.text[this.pos++];
      if (sep === '}') return out;
      if (sep !== ',') this.fail('expected "," or "}"');
    }
  }

  bareKey(): string {
    const start = this.pos;
    while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos] ?? '')) this.pos++;
    if (this.pos === start) this.fail('expected a key');
    return this.text.slice(start, this.pos);
  }

  array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWs();
      const sep = this.text[this.pos++];
      if (sep === ']') return out;
      if (sep !== ',') this.fail('expected "," or "]"');
    }
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    let escaped = false;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        try {
          return JSON.parse(this.text.slice(start, this.pos)) as string;
        } catch {
          this.pos = start;
          this.fail('bad string');
        }
      }
    }
    return this.fail('unterminated string');
  }

  literal(): unknown {
    const start = this.pos;
    while (this.pos < this.text.length && /[A-Za-z0-9.+-]/.test(this.text[this.pos] ?? '')) this.pos++;
    const word = this.text.slice(start, this.pos);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(word)) return Number(word);
    this.pos = start;
    return this.fail(`unexpected token ${JSON.stringify(word.slice(0, 20) || this.text[this.pos])}`);
  }
}

/** Parses standard JSON plus fastjson's bare (unquoted) object keys. Throws RocketMQError INVALID_ARGUMENT. */
export function parseLenientJson(text: string): unknown {
  const r = new Reader(text);
  const v = r.value();
  r.skipWs();
  if (r.pos !== text.length) r.fail('trailing characters');
  return v;
}
