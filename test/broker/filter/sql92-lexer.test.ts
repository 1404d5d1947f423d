// Tokens of the SQL92 selector: keywords (any case), identifiers, numeric/string literals, symbols, comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeSql92 } from '../../../src/broker/filter/sql92-lexer.ts';
import type { Sql92Token } from '../../../src/broker/filter/sql92-lexer.ts';

function brief(t: Sql92Token): string {
  switch (t.type) {
    case 'keyword':
      return `K:${t.keyword}`;
    case 'symbol':
      return `S:${t.symbol}`;
    case 'identifier':
      return `I:${t.image}`;
    case 'string':
      return `Str:${t.value}`;
    case 'decimal':
    case 'float':
      return `${t.type === 'decimal' ? 'D' : 'F'}:${t.image}`;
    case 'eof':
      return 'EOF';
  }
}

const lex = (s: string): string[] => tokenizeSql92(s).map(brief);

test('keywords in any case, identifiers, symbols', () => {
  assert.deepEqual(lex("not And oR between IN true FALSE null Is contains StartsWith ENDSWITH"), [
    'K:NOT', 'K:AND', 'K:OR', 'K:BETWEEN', 'K:IN', 'K:TRUE', 'K:FALSE', 'K:NULL', 'K:IS', 'K:CONTAINS', 'K:STARTSWITH', 'K:ENDSWITH', 'EOF',
  ]);
  assert.deepEqual(lex('nota $a _b c1 TAGS'), ['I:nota', 'I:$a', 'I:_b', 'I:c1', 'I:TAGS', 'EOF']);
  assert.deepEqual(lex('<> <= >= < > = ( ) , + -'), ['S:<>', 'S:<=', 'S:>=', 'S:<', 'S:>', 'S:=', 'S:(', 'S:)', 'S:,', 'S:+', 'S:-', 'EOF']);
  assert.deepEqual(lex('a<>=1'), ['I:a', 'S:<>', 'S:=', 'D:1', 'EOF']); // longest match first
});

test('numeric literals: decimal with L, floats with dot/exponent, longest match', () => {
  assert.deepEqual(lex('0 7 123L 9l'), ['D:0', 'D:7', 'D:123L', 'D:9l', 'EOF']);
  assert.deepEqual(lex('1.5 1. .5 1e3 1E+3 1.5e-3 00.5'), ['F:1.5', 'F:1.', 'F:.5', 'F:1e3', 'F:1E+3', 'F:1.5e-3', 'F:00.5', 'EOF']);
  assert.deepEqual(lex('007'), ['D:0', 'D:0', 'D:7', 'EOF']);
  assert.deepEqual(lex('1e'), ['D:1', 'I:e', 'EOF']);
  assert.deepEqual(lex('5abc'), ['D:5', 'I:abc', 'EOF']);
});

test("strings: '' is a quote; positions are offsets", () => {
  const toks = tokenizeSql92("a = 'it''s' AND b = ''");
  assert.deepEqual(toks.map(brief), ['I:a', 'S:=', "Str:it's", 'K:AND', 'I:b', 'S:=', 'Str:', 'EOF']);
  assert.deepEqual(toks.map((t) => t.pos), [0, 2, 4, 12, 16, 18, 20, 22]);
});

test('comments: block, and line comments only when a line end follows', () => {
  assert.deepEqual(lex('a /* x */ b -- c\n d'), ['I:a', 'I:b', 'I:d', 'EOF']);
  assert.deepEqual(lex('a -- c\r\nb'), ['I:a', 'I:b', 'EOF']);
  assert.deepEqual(lex('a -- c'), ['I:a', 'S:-', 'S:-', 'I:c', 'EOF']);
});
