// JSON as Java's fastjson writes it (PROTOCOL.md §4): standard JSON, except that object keys may be bare
// integers (`{0:"a"}`, from Map<Long,…>), bare identifiers, or a whole JSON object/array used as a key
// (`{{"brokerName":"b","queueId":0,"topic":"t"}:5}`, from Map<MessageQueue,…>). A non-string key becomes the
// string key it denotes: a number's text (`"0"`), an identifier's name, or the compact JSON of an object key.
// Everything else stays strict: no comments, no trailing commas, no single quotes.
import { ERROR_CODES, RocketMQError } from './errors.ts';

/** Parse JSON text that may contain fastjson's non-standard keys. Throws RocketMQError(PROTOCOL) with the offset. */
export function parseLenientJson(input: string | Buffer): unknown {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  try {
    return JSON.parse(text); // fast path: most bodies are standard JSON
  } catch {
    return new LenientParser(text).parseDocument();
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENT_RE = /[A-Za-z_$][\w$]*/y;
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class LenientParser {
  readonly #s: string;
  #i = 0;

  constructor(s: string) {
    this.#s = s;
  }

  parseDocument(): unknown {
    this.#ws();
    const v = this.#value();
    this.#ws();
    if (this.#i < this.#s.length) this.#fail('unexpected trailing text');
    return v;
  }

  #value(): unknown {
    const c = this.#s[this.#i];
    switch (c) {
      case '{':
        return this.#object();
      case '[':
        return this.#array();
      case '"':
        return this.#string();
      case 't':
        return this.#literal('true', true);
      case 'f':
        return this.#literal('false', false);
      case 'n':
        return this.#literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return Number(this.#number());
        return this.#fail(c === undefined ? 'unexpected end of input' : `unexpected '${c}'`);
    }
  }

  #object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.#i++; // {
    this.#ws();
    if (this.#s[this.#i] === '}') {
      this.#i++;
      return out;
    }
    for (;;) {
      this.#ws();
      const key = this.#key();
      this.#ws();
      this.#expect(':');
      this.#ws();
      const v = this.#value();
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.#ws();
      const c = this.#s[this.#i++];
      if (c === '}') return out;
      if (c !== ',') this.#fail(c === undefined ? 'unterminated object' : `expected ',' or '}' but found '${c}'`, this.#i - 1);
    }
  }

  #key(): string {
    const c = this.#s[this.#i];
    if (c === '"') return this.#string();
    if (c === '{' || c === '[') return JSON.stringify(this.#value());
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.#number();
    IDENT_RE.lastIndex = this.#i;
    const m = IDENT_RE.exec(this.#s);
    if (m) {
      this.#i += m[0].length;
      return m[0];
    }
    return this.#fail(c === undefined ? 'unexpected end of input' : `unexpected '${c}' where an object key was expected`);
  }

  #array(): unknown[] {
    const out: unknown[] = [];
    this.#i++; // [
    this.#ws();
    if (this.#s[this.#i] === ']') {
      this.#i++;
      return out;
    }
    for (;;) {
      this.#ws();
      out.push(this.#value());
      this.#ws();
      const c = this.#s[this.#i++];
      if (c === ']') return out;
      if (c !== ',') this.#fail(c === undefined ? 'unterminated array' : `expected ',' or ']' but found '${c}'`, this.#i - 1);
    }
  }

  #string(): string {
    const start = this.#i;
    const end = this.#s.indexOf('"', start + 1);
    if (end < 0) this.#fail('unterminated string', start);
    const raw = this.#s.slice(start + 1, end);
    if (!raw.includes('\\')) {
      this.#i = end + 1;
      return raw;
    }
    // Escapes present: find the real closing quote and let JSON.parse decode the literal.
    let j = start + 1;
    while (j < this.#s.length) {
      const ch = this.#s[j];
      if (ch === '\\') j += 2;
      else if (ch === '"') break;
      else j++;
    }
    if (j >= this.#s.length) this.#fail('unterminated string', start);
    this.#i = j + 1;
    try {
      return JSON.parse(this.#s.slice(start, j + 1)) as string;
    } catch {
      return this.#fail('bad escape in string', start);
    }
  }

  #number(): string {
    NUMBER_RE.lastIndex = this.#i;
    const m = NUMBER_RE.exec(this.#s);
    if (!m) return this.#fail('bad number');
    this.#i += m[0].length;
    return m[0];
  }

  #literal<T>(word: string, value: T): T {
    if (!this.#s.startsWith(word, this.#i)) this.#fail(`unexpected '${this.#s[this.#i]}'`);
    this.#i += word.length;
    return value;
  }

  #expect(ch: string): void {
    if (this.#s[this.#i] !== ch) {
      const found = this.#s[this.#i];
      this.#fail(found === undefined ? `expected '${ch}' but input ended` : `expected '${ch}' but found '${found}'`);
    }
    this.#i++;
  }

  #ws(): void {
    while (this.#i < this.#s.length && WS.has(this.#s.charCodeAt(this.#i))) this.#i++;
  }

  #fail(what: string, at: number = this.#i): never {
    throw new RocketMQError(ERROR_CODES.PROTOCOL, `invalid JSON: ${what} at offset ${at}`);
  }
}
