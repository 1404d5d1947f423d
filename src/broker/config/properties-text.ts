// Minimal Java .properties reader/writer for broker.conf and the GET/UPDATE_BROKER_CONFIG bodies.
// Private to the broker until src/common/properties-file.ts lands. Follows java.util.Properties.load rules:
// `#`/`!` comments, `=`/`:`/whitespace separators, backslash line continuation, \t \n \r \f \uXXXX escapes.

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts. */
  line: number;
}

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function unescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else if (n === 'f') out += '\f';
    else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += n;
  }
  return out;
}

/** Parses properties text into entries in file order (a repeated key appears twice; the last one wins for callers). */
export function parsePropertiesText(text: string): PropertyEntry[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: PropertyEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = (lines[i] ?? '').replace(/^[ \t\f]+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    while (endsWithContinuation(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++i] ?? '').replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1);
    let k = 0;
    while (k < logical.length) {
      const c = logical[k];
      if (c === '\\') k += 2;
      else if (c === '=' || c === ':' || isWs(c)) break;
      else k++;
    }
    const rawKey = logical.slice(0, k);
    let v = k;
    while (isWs(logical[v])) v++;
    if (logical[v] === '=' || logical[v] === ':') v++;
    while (isWs(logical[v])) v++;
    out.push({ key: unescape(rawKey), value: unescape(logical.slice(v)), line: startLine });
  }
  return out;
}

function escapeProperty(s: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    const code = c.charCodeAt(0);
    if (c === '\\') out += '\\\\';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if (isKey && (c === '=' || c === ':' || c === '#' || c === '!' || c === ' ')) out += `\\${c}`;
    else if (c === ' ' && i === 0) out += '\\ ';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** Writes `key=value` lines in the given order; values are escaped only where Properties.load needs it (like Java's output). */
export function formatPropertiesText(entries: Iterable<readonly [string, string]>): string {
  let out = '';
  for (const [k, v] of entries) out += `${escapeProperty(k, true)}=${escapeProperty(v, false)}\n`;
  return out;
}
