// Tokenizer for RocketMQ's SQL92 message selector (the token set of the filter module's grammar: case-insensitive
// keywords, ASCII identifiers, decimal/floating literals, single-quoted strings with '' as the quote escape,
// `--` line comments that need a line end, `/* */` block comments).
import { Sql92ParseError } from './sql92-error.ts';

export const SQL92_KEYWORDS = [
  'NOT',
  'AND',
  'OR',
  'BETWEEN',
  'IN',
  'TRUE',
  'FALSE',
  'NULL',
  'IS',
  'CONTAINS',
  'STARTSWITH',
  'ENDSWITH',
] as const;
export type Sql92Keyword = (typeof SQL92_KEYWORDS)[number];

export const SQL92_SYMBOLS = ['<>', '<=', '>=', '<', '>', '=', '(', ')', ',', '+', '-'] as const;
export type Sql92Symbol = (typeof SQL92_SYMBOLS)[number];

export type Sql92Token =
  | { readonly type: 'keyword'; readonly keyword: Sql92Keyword; readonly image: string; readonly pos: number }
  | { readonly type: 'symbol'; readonly symbol: Sql92Symbol; readonly image: string; readonly pos: number }
  | { readonly type: 'identifier'; readonly image: string; readonly pos: number }
  | { readonly type: 'decimal'; readonly image: string; readonly pos: number }
  | { readonly type: 'float'; readonly image: string; readonly pos: number }
  /** `value` is the decoded text ('' → '). */
  | { readonly type: 'string'; readonly value: string; readonly image: string; readonly pos: number }
  | { readonly type: 'eof'; readonly image: ''; readonly pos: number };

const KEYWORDS: ReadonlyMap<string, Sql92Keyword> = new Map(SQL92_KEYWORDS.map((k) => [k, k]));

const CH_TAB = 9;
const CH_LF = 10;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_DOLLAR = 36;
const CH_QUOTE = 39;
const CH_STAR = 42;
const CH_PLUS = 43;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_0 = 48;
const CH_9 = 57;
const CH_UNDERSCORE = 95;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === CH_UNDERSCORE || c === CH_DOLLAR;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_LF || c === CH_CR || c === CH_FF;
}

/** Length of an exponent (`E` [+-]? digits+) starting at `i`, or 0 when there is none. */
function exponentLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c !== 69 && c !== 101) return 0;
  let j = i + 1;
  const sign = s.charCodeAt(j);
  if (sign === CH_PLUS || sign === CH_MINUS) j++;
  const digitsStart = j;
  while (isDigit(s.charCodeAt(j))) j++;
  return j > digitsStart ? j - i : 0;
}

/** Splits `text` into tokens, ending with one `eof` token. Throws Sql92ParseError on a character no token starts with. */
export function tokenizeSql92(text: string): Sql92Token[] {
  const tokens: Sql92Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === CH_MINUS && text.charCodeAt(i + 1) === CH_MINUS) {
      // A line comment only counts when a line end follows it; otherwise these are two '-' symbols.
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== CH_LF && text.charCodeAt(j) !== CH_CR) j++;
      if (j < n) {
        i = j + (text.charCodeAt(j) === CH_CR && text.charCodeAt(j + 1) === CH_LF ? 2 : 1);
        continue;
      }
    }
    if (c === CH_SLASH && text.charCodeAt(i + 1) === CH_STAR) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Sql92ParseError(text, i, 'unterminated comment: "/*" without a closing "*/"');
      i = end + 2;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === CH_DOT && isDigit(text.charCodeAt(i + 1)))) {
      let j = i;
      while (isDigit(text.charCodeAt(j))) j++;
      const intEnd = j;
      let isFloat = false;
      if (text.charCodeAt(j) === CH_DOT) {
        isFloat = true;
        j++;
        while (isDigit(text.charCodeAt(j))) j++;
        j += exponentLength(text, j);
      } else {
        const e = exponentLength(text, j);
        if (e > 0) {
          isFloat = true;
          j += e;
        }
      }
      if (isFloat) {
        tokens.push({ type: 'float', image: text.slice(start, j), pos: start });
        i = j;
        continue;
      }
      // "0" alone, or a non-zero digit followed by digits and an optional L suffix.
      let end = c === CH_0 ? start + 1 : intEnd;
      const suffix = text.charCodeAt(end);
      if (c !== CH_0 && (suffix === 76 || suffix === 108)) end++;
      tokens.push({ type: 'decimal', image: text.slice(start, end), pos: start });
      i = end;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (isIdPart(text.charCodeAt(j))) j++;
      const image = text.slice(start, j);
      const keyword = KEYWORDS.get(image.toUpperCase());
      tokens.push(keyword === undefined ? { type: 'identifier', image, pos: start } : { type: 'keyword', keyword, image, pos: start });
      i = j;
      continue;
    }
    if (c === CH_QUOTE) {
      let j = i + 1;
      let value = '';
      let chunk = j;
      for (;;) {
        if (j >= n) throw new Sql92ParseError(text, start, 'unterminated string literal (a quote inside a string is written as two quotes)');
        if (text.charCodeAt(j) === CH_QUOTE) {
          value += text.slice(chunk, j);
          if (text.charCodeAt(j + 1) !== CH_QUOTE) break;
          value += "'";
          j += 2;
          chunk = j;
          continue;
        }
        j++;
      }
      tokens.push({ type: 'string', value, image: text.slice(start, j + 1), pos: start });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ type: 'symbol', symbol: two, image: two, pos: start });
      i += 2;
      continue;
    }
    const one = text[i] ?? '';
    const symbol = SQL92_SYMBOLS.find((s) => s === one);
    if (symbol !== undefined) {
      tokens.push({ type: 'symbol', symbol, image: one, pos: start });
      i++;
      continue;
    }
    const shown = String.fromCodePoint(text.codePointAt(i) ?? c);
    throw new Sql92ParseError(text, i, `unexpected character ${JSON.stringify(shown)}`);
  }
  tokens.push({ type: 'eof', image: '', pos: n });
  return tokens;
}
