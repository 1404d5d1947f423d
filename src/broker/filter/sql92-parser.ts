// Recursive-descent parser for RocketMQ's SQL92 message selector → AST. It follows the filter module's grammar
// (precedence, loosest first: OR, AND, = / <> / IS [NOT] NULL, > >= < <= BETWEEN IN CONTAINS STARTSWITH ENDSWITH,
// unary + - NOT) and rejects at parse time what Java rejects while building its expression tree, so a selector that
// fails on a Java broker fails here too, as SUBSCRIPTION_PARSE_FAILED (23).
import { Sql92ParseError } from './sql92-error.ts';
import { tokenizeSql92 } from './sql92-lexer.ts';
import type { Sql92Keyword, Sql92Symbol, Sql92Token } from './sql92-lexer.ts';

/** A constant. Integer literals are Java `int` when they fit 32 bits, `long` otherwise (value kept exact). */
export type Sql92Literal =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int' | 'long'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

export type Sql92OrderOp = '>' | '>=' | '<' | '<=';
export type Sql92CompareOp = '=' | '<>' | Sql92OrderOp;
export type Sql92StringOp = 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH';

/** Every node carries `pos`, the 0-based offset where its text starts. */
export type Sql92Node =
  | { readonly kind: 'literal'; readonly literal: Sql92Literal; readonly pos: number }
  | { readonly kind: 'property'; readonly name: string; readonly pos: number }
  | { readonly kind: 'negate'; readonly operand: Sql92Node; readonly pos: number }
  /** A bare property used where a boolean is needed (Java's boolean cast: only a Boolean value is true). */
  | { readonly kind: 'booleanCast'; readonly operand: Sql92Node; readonly pos: number }
  | { readonly kind: 'not'; readonly operand: Sql92Node; readonly pos: number }
  | { readonly kind: 'and' | 'or'; readonly left: Sql92Node; readonly right: Sql92Node; readonly pos: number }
  | { readonly kind: 'compare'; readonly op: Sql92CompareOp; readonly left: Sql92Node; readonly right: Sql92Node; readonly pos: number }
  | { readonly kind: 'isNull'; readonly operand: Sql92Node; readonly negated: boolean; readonly pos: number }
  | {
      readonly kind: 'between';
      readonly value: Sql92Node;
      readonly low: Sql92Node;
      readonly high: Sql92Node;
      readonly negated: boolean;
      readonly pos: number;
    }
  | { readonly kind: 'in'; readonly property: string; readonly values: readonly string[]; readonly negated: boolean; readonly pos: number }
  | {
      readonly kind: 'stringMatch';
      readonly op: Sql92StringOp;
      readonly operand: Sql92Node;
      readonly search: string;
      readonly negated: boolean;
      readonly pos: number;
    };

const LONG_MAX = 9223372036854775807n;
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

/** Nodes whose value is a boolean (or null) in Java's model — the ones AND/OR/NOT accept. */
export function isBooleanNode(node: Sql92Node): boolean {
  switch (node.kind) {
    case 'literal':
      return node.literal.type === 'boolean' || node.literal.type === 'null';
    case 'property':
    case 'negate':
      return false;
    default:
      return true;
  }
}

function describe(t: Sql92Token): string {
  return t.type === 'eof' ? 'end of input' : JSON.stringify(t.image);
}

function describeNode(node: Sql92Node): string {
  if (node.kind === 'literal') {
    const l = node.literal;
    switch (l.type) {
      case 'string':
        return `the string literal '${l.value.replaceAll("'", "''")}'`;
      case 'boolean':
        return l.value ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      default:
        return `the number ${String(l.value)}`;
    }
  }
  if (node.kind === 'property') return `the property ${node.name}`;
  if (isBooleanNode(node)) return 'a boolean expression';
  return 'a negated value';
}

class Parser {
  readonly #text: string;
  readonly #tokens: Sql92Token[];
  #i = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenizeSql92(text);
  }

  parse(): Sql92Node {
    const expr = this.#or();
    const t = this.#peek();
    if (t.type !== 'eof') this.#fail(t, 'AND, OR, a comparison operator or end of input');
    return this.#asBoolean(expr);
  }

  #peek(ahead = 0): Sql92Token {
    const t = this.#tokens[Math.min(this.#i + ahead, this.#tokens.length - 1)];
    if (t === undefined) throw new Sql92ParseError(this.#text, this.#text.length, 'empty token stream');
    return t;
  }

  #next(): Sql92Token {
    const t = this.#peek();
    if (t.type !== 'eof') this.#i++;
    return t;
  }

  #isKeyword(k: Sql92Keyword, ahead = 0): boolean {
    const t = this.#peek(ahead);
    return t.type === 'keyword' && t.keyword === k;
  }

  #isSymbol(s: Sql92Symbol): boolean {
    const t = this.#peek();
    return t.type === 'symbol' && t.symbol === s;
  }

  #fail(t: Sql92Token, expected: string): never {
    throw new Sql92ParseError(this.#text, t.pos, `expected ${expected} but found ${describe(t)}`);
  }

  #error(node: Sql92Node, detail: string): never {
    throw new Sql92ParseError(this.#text, node.pos, detail);
  }

  #expectKeyword(k: Sql92Keyword): void {
    const t = this.#next();
    if (t.type !== 'keyword' || t.keyword !== k) this.#fail(t, k);
  }

  #expectSymbol(s: Sql92Symbol): void {
    const t = this.#next();
    if (t.type !== 'symbol' || t.symbol !== s) this.#fail(t, `"${s}"`);
  }

  #asBoolean(node: Sql92Node): Sql92Node {
    if (isBooleanNode(node)) return node;
    if (node.kind === 'property') return { kind: 'booleanCast', operand: node, pos: node.pos };
    this.#error(node, `${describeNode(node)} does not give a boolean value`);
  }

  #or(): Sql92Node {
    let left = this.#and();
    while (this.#isKeyword('OR')) {
      this.#next();
      const right = this.#and();
      left = { kind: 'or', left: this.#asBoolean(left), right: this.#asBoolean(right), pos: left.pos };
    }
    return left;
  }

  #and(): Sql92Node {
    let left = this.#equality();
    while (this.#isKeyword('AND')) {
      this.#next();
      const right = this.#equality();
      left = { kind: 'and', left: this.#asBoolean(left), right: this.#asBoolean(right), pos: left.pos };
    }
    return left;
  }

  #equality(): Sql92Node {
    let left = this.#comparison();
    for (;;) {
      if (this.#isSymbol('=') || this.#isSymbol('<>')) {
        const op = this.#next().image === '=' ? '=' : '<>';
        const right = this.#comparison();
        this.#checkEqualOperands(left, right, op);
        left = { kind: 'compare', op, left, right, pos: left.pos };
      } else if (this.#isKeyword('IS')) {
        this.#next();
        const negated = this.#isKeyword('NOT');
        if (negated) this.#next();
        const t = this.#next();
        if (t.type !== 'keyword' || t.keyword !== 'NULL') this.#fail(t, negated ? 'NULL' : 'NULL or NOT NULL');
        left = { kind: 'isNull', operand: left, negated, pos: left.pos };
      } else {
        return left;
      }
    }
  }

  #comparison(): Sql92Node {
    let left = this.#unary();
    for (;;) {
      const t = this.#peek();
      if (t.type === 'symbol' && (t.symbol === '>' || t.symbol === '>=' || t.symbol === '<' || t.symbol === '<=')) {
        this.#next();
        const right = this.#unary();
        this.#checkOrderOperand(left, t.symbol);
        this.#checkOrderOperand(right, t.symbol);
        left = { kind: 'compare', op: t.symbol, left, right, pos: left.pos };
        continue;
      }
      let negated = false;
      let op = t;
      if (t.type === 'keyword' && t.keyword === 'NOT') {
        const after = this.#peek(1);
        if (after.type !== 'keyword' || !['CONTAINS', 'STARTSWITH', 'ENDSWITH', 'BETWEEN', 'IN'].includes(after.keyword)) return left;
        negated = true;
        this.#next();
        op = after;
      }
      if (op.type !== 'keyword') return left;
      switch (op.keyword) {
        case 'CONTAINS':
        case 'STARTSWITH':
        case 'ENDSWITH':
          this.#next();
          left = { kind: 'stringMatch', op: op.keyword, operand: left, search: this.#stringLiteral(), negated, pos: left.pos };
          break;
        case 'BETWEEN': {
          this.#next();
          const low = this.#unary();
          this.#expectKeyword('AND');
          const high = this.#unary();
          this.#checkBetween(left, low, high);
          left = { kind: 'between', value: left, low, high, negated, pos: left.pos };
          break;
        }
        case 'IN': {
          this.#next();
          if (left.kind !== 'property') this.#error(left, `${negated ? 'NOT IN' : 'IN'} needs a property on its left, got ${describeNode(left)}`);
          this.#expectSymbol('(');
          const values = [this.#stringLiteral()];
          while (this.#isSymbol(',')) {
            this.#next();
            values.push(this.#stringLiteral());
          }
          this.#expectSymbol(')');
          left = { kind: 'in', property: left.name, values, negated, pos: left.pos };
          break;
        }
        default:
          return left;
      }
    }
  }

  #unary(): Sql92Node {
    const t = this.#peek();
    if (t.type === 'symbol' && t.symbol === '+') {
      this.#next();
      return this.#unary();
    }
    if (t.type === 'symbol' && t.symbol === '-') {
      this.#next();
      return { kind: 'negate', operand: this.#unary(), pos: t.pos };
    }
    if (t.type === 'keyword' && t.keyword === 'NOT') {
      this.#next();
      return { kind: 'not', operand: this.#asBoolean(this.#unary()), pos: t.pos };
    }
    return this.#primary();
  }

  #primary(): Sql92Node {
    const t = this.#next();
    switch (t.type) {
      case 'identifier':
        return { kind: 'property', name: t.image, pos: t.pos };
      case 'string':
        return { kind: 'literal', literal: { type: 'string', value: t.value }, pos: t.pos };
      case 'decimal':
        return { kind: 'literal', literal: this.#decimal(t), pos: t.pos };
      case 'float':
        return { kind: 'literal', literal: this.#float(t), pos: t.pos };
      case 'keyword':
        if (t.keyword === 'TRUE' || t.keyword === 'FALSE') {
          return { kind: 'literal', literal: { type: 'boolean', value: t.keyword === 'TRUE' }, pos: t.pos };
        }
        if (t.keyword === 'NULL') return { kind: 'literal', literal: { type: 'null' }, pos: t.pos };
        break;
      case 'symbol':
        if (t.symbol === '(') {
          const inner = this.#or();
          this.#expectSymbol(')');
          return inner;
        }
        break;
      default:
        break;
    }
    this.#fail(t, "a property name, a literal, '(', NOT, '+' or '-'");
  }

  #stringLiteral(): string {
    const t = this.#next();
    if (t.type !== 'string') this.#fail(t, 'a quoted string literal');
    return t.value;
  }

  #decimal(t: Sql92Token): Sql92Literal {
    const digits = /[lL]$/.test(t.image) ? t.image.slice(0, -1) : t.image;
    const value = BigInt(digits);
    if (value > LONG_MAX) throw new Sql92ParseError(this.#text, t.pos, `${t.image} is out of the range of a long`);
    return { type: value >= INT_MIN && value <= INT_MAX ? 'int' : 'long', value };
  }

  #float(t: Sql92Token): Sql92Literal {
    const value = Number(t.image);
    // Java rejects a floating literal above Double.MAX_VALUE or below Double.MIN_VALUE — which includes 0.0.
    if (!Number.isFinite(value)) throw new Sql92ParseError(this.#text, t.pos, `${t.image} is greater than 1.7976931348623157E308`);
    if (value < Number.MIN_VALUE) {
      throw new Sql92ParseError(this.#text, t.pos, `${t.image} is less than 4.9E-324 (Java rejects zero floating literals; write 0)`);
    }
    return { type: 'double', value };
  }

  /** `>`, `>=`, `<`, `<=` (and BETWEEN) take numeric literals, properties or negations — never strings or booleans. */
  #checkOrderOperand(node: Sql92Node, op: string): void {
    if (node.kind === 'literal') {
      const type = node.literal.type;
      if (type === 'int' || type === 'long' || type === 'double') return;
      this.#error(node, `${describeNode(node)} cannot be compared with ${op}`);
    }
    if (isBooleanNode(node)) this.#error(node, `${describeNode(node)} cannot be compared with ${op}`);
  }

  /** `=` / `<>`: NULL is not a comparable value (use IS NULL); a TRUE/FALSE literal only equals another one. */
  #checkEqualOperands(left: Sql92Node, right: Sql92Node, op: string): void {
    for (const node of [left, right]) {
      if (node.kind === 'literal' && node.literal.type === 'null') {
        this.#error(node, `NULL cannot be compared with ${op}; use IS NULL or IS NOT NULL`);
      }
    }
    if (left.kind === 'literal' && right.kind === 'literal' && left.literal.type === 'boolean' && right.literal.type !== 'boolean') {
      this.#error(right, `${describeNode(left)} cannot be compared with ${describeNode(right)}`);
    }
  }

  #checkBetween(value: Sql92Node, low: Sql92Node, high: Sql92Node): void {
    if (low.kind === 'literal' && high.kind === 'literal') {
      if (low.literal.type === 'null' || high.literal.type === 'null') {
        this.#error(low.literal.type === 'null' ? low : high, 'BETWEEN bounds cannot be NULL');
      }
    }
    this.#checkOrderOperand(value, 'BETWEEN');
    this.#checkOrderOperand(low, 'BETWEEN');
    this.#checkOrderOperand(high, 'BETWEEN');
    if (low.kind === 'literal' && high.kind === 'literal' && 'value' in low.literal && 'value' in high.literal) {
      const lo = low.literal.value;
      const hi = high.literal.value;
      if (typeof lo !== 'string' && typeof lo !== 'boolean' && typeof hi !== 'string' && typeof hi !== 'boolean' && hi < lo) {
        this.#error(low, `BETWEEN lower bound ${String(lo)} is greater than the upper bound ${String(hi)}`);
      }
    }
  }
}

/** Parses a selector into an AST; throws Sql92ParseError (responseCode 23) naming the line/column and the problem. */
export function parseSql92(expression: string): Sql92Node {
  return new Parser(expression).parse();
}
