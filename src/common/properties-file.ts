// Java .properties text (java.util.Properties.load / store semantics), used for NameServer/Broker config files and
// for the UPDATE/GET_*_CONFIG bodies. Text is read as UTF-8 (Java's load(InputStream) reads ISO-8859-1; for ASCII
// files, the only kind RocketMQ ships, the two agree).
import { readFileSync } from 'node:fs';

/** Parse properties text into an insertion-ordered record (later duplicates win, as in Java). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    const [key, value] = splitKeyValue(line);
    out[unescape(key)] = unescape(value);
  }
  return out;
}

/** Read and parse a properties file. */
export function readPropertiesFile(path: string): Record<string, string> {
  return parseProperties(readFileSync(path, 'utf8'));
}

export interface StringifyPropertiesOptions {
  /** Sort keys (default true, like MixAll.properties2String(…, true)). */
  sort?: boolean;
  /**
   * Escape like Properties.store (default true). false writes `key=value` raw, exactly like Java's
   * MixAll.properties2String (what GET_NAMESRV_CONFIG / GET_BROKER_CONFIG bodies look like).
   */
  escape?: boolean;
}

/** Properties text, one `key=value` per line, each line ending in "\n". Undefined values are skipped. */
export function stringifyProperties(
  props: Readonly<Record<string, string | number | boolean | undefined>>,
  options: StringifyPropertiesOptions = {},
): string {
  const keys = Object.keys(props).filter((k) => props[k] !== undefined);
  if (options.sort ?? true) keys.sort();
  const esc = options.escape ?? true;
  let out = '';
  for (const k of keys) {
    const v = String(props[k]);
    out += esc ? `${escapeText(k, true)}=${escapeText(v, false)}\n` : `${k}=${v}\n`;
  }
  return out;
}

function* logicalLines(text: string): Generator<string> {
  const natural = text.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < natural.length) {
    let line = stripLeadingWs(natural[i++]);
    if (line === '' || line[0] === '#' || line[0] === '!') continue;
    // A line ending in an odd number of backslashes continues on the next line (leading whitespace dropped).
    while (endsWithContinuation(line) && i <= natural.length) {
      line = line.slice(0, -1);
      if (i === natural.length) break;
      line += stripLeadingWs(natural[i++]);
    }
    yield line;
  }
}

function stripLeadingWs(s: string): string {
  return s.replace(/^[ \t\f]+/, '');
}

function endsWithContinuation(s: string): boolean {
  let n = 0;
  for (let j = s.length - 1; j >= 0 && s[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function splitKeyValue(line: string): [string, string] {
  let j = 0;
  let keyEnd = line.length;
  let valueStart = line.length;
  while (j < line.length) {
    const c = line[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === '=' || c === ':') {
      keyEnd = j;
      valueStart = skipWs(line, j + 1);
      break;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      keyEnd = j;
      let k = skipWs(line, j);
      if (line[k] === '=' || line[k] === ':') k = skipWs(line, k + 1);
      valueStart = k;
      break;
    }
    j++;
  }
  return [line.slice(0, keyEnd), line.slice(valueStart)];
}

function skipWs(s: string, from: number): number {
  let k = from;
  while (k < s.length && (s[k] === ' ' || s[k] === '\t' || s[k] === '\f')) k++;
  return k;
}

const UNESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++j];
    if (n === undefined) break;
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(j + 1, j + 5))) {
      out += String.fromCharCode(parseInt(s.slice(j + 1, j + 5), 16));
      j += 4;
    } else {
      out += UNESCAPES[n] ?? n;
    }
  }
  return out;
}

function escapeText(s: string, isKey: boolean): string {
  let out = '';
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    switch (c) {
      case '\\': out += '\\\\'; break;
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '=': case ':': case '#': case '!': out += `\\${c}`; break;
      case ' ': out += isKey || j === 0 ? '\\ ' : ' '; break;
      default: out += c;
    }
  }
  return out;
}
