// Compiles a parsed SQL92 selector once into a closure tree evaluated per message during pull and long-poll wake-up.
// Semantics follow RocketMQ's filter module: three-valued logic (a missing property is unknown → null, and a null
// selector result does not match), property values are strings converted to the other operand's Java class for
// comparisons, and where Java's evaluation would throw (e.g. 'abc' > 5) the whole selector is false, even under OR.
import { parseSql92 } from './sql92-parser.ts';
import type { Sql92Literal, Sql92Node, Sql92OrderOp } from './sql92-parser.ts';
import {
  EVAL_ERROR,
  NumClass,
  compareDouble,
  integral,
  javaCompare,
  javaEquals,
  negateJavaNumber,
  parseJavaDouble,
} from './sql92-values.ts';
import type { EvalError, JavaValue } from './sql92-values.ts';

/** Message properties (user properties plus system ones such as TAGS, KEYS), as stored. */
export type Sql92Properties = Readonly<Record<string, string>>;
export type Sql92Predicate = (properties: Sql92Properties) => boolean;
/** Raw outcome: true/false, null (unknown: a missing property decided it), or 'error' (Java would have thrown). */
export type Sql92Outcome = boolean | null | 'error';

type ValueFn = (p: Sql92Properties) => JavaValue;
type TriValue = boolean | null | EvalError;
type TriFn = (p: Sql92Properties) => TriValue;

interface Operand {
  readonly fn: ValueFn;
  /** Set when the operand is a constant (folded at compile time). */
  readonly constant: boolean;
  readonly value: JavaValue;
}

function constant(value: JavaValue): Operand {
  return { fn: () => value, constant: true, value };
}

function dynamic(fn: ValueFn): Operand {
  return { fn, constant: false, value: null };
}

function literalValue(l: Sql92Literal): JavaValue {
  switch (l.type) {
    case 'string':
    case 'boolean':
      return l.value;
    case 'null':
      return null;
    case 'int':
      return { cls: NumClass.INT, v: integral(l.value) };
    case 'long':
      return { cls: NumClass.LONG, v: integral(l.value) };
    case 'double':
      return { cls: NumClass.DOUBLE, v: l.value };
  }
}

function compileOperand(node: Sql92Node): Operand {
  switch (node.kind) {
    case 'literal':
      return constant(literalValue(node.literal));
    case 'property': {
      const name = node.name;
      // typeof skips inherited members ("constructor", "__proto__"): Object.prototype holds no strings.
      return dynamic((p) => {
        const v = p[name];
        return typeof v === 'string' ? v : null;
      });
    }
    case 'negate': {
      const inner = compileOperand(node.operand);
      if (inner.constant) {
        const v = inner.value;
        return constant(typeof v === 'object' && v !== null ? negateJavaNumber(v) : v === EVAL_ERROR ? v : null);
      }
      const f = inner.fn;
      // Only numbers negate; anything else (a string property, a boolean) is null.
      return dynamic((p) => {
        const v = f(p);
        if (v === EVAL_ERROR) return v;
        return typeof v === 'object' && v !== null ? negateJavaNumber(v) : null;
      });
    }
    default:
      return dynamic(compileBoolean(node));
  }
}

function compileEqual(l: ValueFn, r: ValueFn): TriFn {
  return (p) => {
    const lv = l(p);
    if (lv === EVAL_ERROR) return lv;
    const rv = r(p);
    if (rv === EVAL_ERROR) return rv;
    if (lv === null) return rv === null ? true : null;
    if (rv === null) return false;
    if (javaEquals(lv, rv)) return true;
    const c = javaCompare(lv, rv);
    return c === EVAL_ERROR ? c : c === 0;
  };
}

function orderTest(op: Sql92OrderOp): (c: number) => boolean {
  switch (op) {
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
    case '<':
      return (c) => c < 0;
    case '<=':
      return (c) => c <= 0;
  }
}

function compileOrder(op: Sql92OrderOp, l: ValueFn, r: ValueFn): TriFn {
  const test = orderTest(op);
  return (p) => {
    const lv = l(p);
    if (lv === null || lv === EVAL_ERROR) return lv;
    const rv = r(p);
    if (rv === null || rv === EVAL_ERROR) return rv;
    let c: number | EvalError;
    if (typeof lv === 'string' && typeof rv === 'string') {
      // Two strings (two properties) are both read as doubles.
      const a = parseJavaDouble(lv);
      const b = parseJavaDouble(rv);
      if (a === undefined || b === undefined) return EVAL_ERROR;
      c = compareDouble(a, b);
    } else {
      c = javaCompare(lv, rv);
    }
    return c === EVAL_ERROR ? c : test(c);
  };
}

function not(f: TriFn): TriFn {
  return (p) => {
    const v = f(p);
    return typeof v === 'boolean' ? !v : v;
  };
}

function and(l: TriFn, r: TriFn): TriFn {
  return (p) => {
    const lv = l(p);
    if (lv === false || lv === EVAL_ERROR) return lv;
    const rv = r(p);
    if (rv === false || rv === EVAL_ERROR) return rv;
    return lv === null || rv === null ? null : true;
  };
}

function or(l: TriFn, r: TriFn): TriFn {
  return (p) => {
    const lv = l(p);
    if (lv === true || lv === EVAL_ERROR) return lv;
    const rv = r(p);
    if (rv === true || rv === EVAL_ERROR) return rv;
    return lv === null || rv === null ? null : false;
  };
}

function stringMatch(op: 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH', search: string): (s: string) => boolean {
  switch (op) {
    case 'CONTAINS':
      return (s) => s.includes(search);
    case 'STARTSWITH':
      return (s) => s.startsWith(search);
    case 'ENDSWITH':
      return (s) => s.endsWith(search);
  }
}

function compileBoolean(node: Sql92Node): TriFn {
  switch (node.kind) {
    case 'literal':
    case 'property':
    case 'negate': {
      // Only reached for a TRUE/FALSE/NULL literal: the parser wraps bare properties in a boolean cast.
      const v = compileOperand(node).value;
      const tri: TriValue = typeof v === 'boolean' || v === null || v === EVAL_ERROR ? v : false;
      return () => tri;
    }
    case 'booleanCast': {
      const f = compileOperand(node.operand).fn;
      return (p) => {
        const v = f(p);
        return v === null || v === EVAL_ERROR || typeof v === 'boolean' ? v : false;
      };
    }
    case 'not':
      return not(compileBoolean(node.operand));
    case 'and':
      return and(compileBoolean(node.left), compileBoolean(node.right));
    case 'or':
      return or(compileBoolean(node.left), compileBoolean(node.right));
    case 'compare': {
      const l = compileOperand(node.left).fn;
      const r = compileOperand(node.right).fn;
      if (node.op === '=') return compileEqual(l, r);
      if (node.op === '<>') return not(compileEqual(l, r));
      return compileOrder(node.op, l, r);
    }
    case 'isNull': {
      const f = compileOperand(node.operand).fn;
      const negated = node.negated;
      return (p) => {
        const v = f(p);
        return v === EVAL_ERROR ? v : (v === null) !== negated;
      };
    }
    case 'between': {
      const v = compileOperand(node.value).fn;
      const low = compileOperand(node.low).fn;
      const high = compileOperand(node.high).fn;
      return node.negated
        ? or(compileOrder('<', v, low), compileOrder('>', v, high))
        : and(compileOrder('>=', v, low), compileOrder('<=', v, high));
    }
    case 'in': {
      const name = node.property;
      const values = new Set(node.values);
      const negated = node.negated;
      return (p) => {
        const v = p[name];
        if (typeof v !== 'string') return null;
        return values.has(v) !== negated;
      };
    }
    case 'stringMatch': {
      // An empty search string never matches, and neither does a missing or non-string value (no null here).
      if (node.search === '') return () => false;
      const f = compileOperand(node.operand).fn;
      const match = stringMatch(node.op, node.search);
      const negated = node.negated;
      return (p) => {
        const v = f(p);
        if (v === EVAL_ERROR) return v;
        return typeof v === 'string' ? match(v) !== negated : false;
      };
    }
  }
}

/** Compiles a parsed selector into a predicate: true only when the selector evaluates to TRUE. Never throws. */
export function compileSql92(ast: Sql92Node): Sql92Predicate {
  const root = compileBoolean(ast);
  return (properties) => root(properties) === true;
}

/** Like compileSql92, but keeps the three-valued outcome and Java's would-throw case apart (tests, diagnostics). */
export function compileSql92Outcome(ast: Sql92Node): (properties: Sql92Properties) => Sql92Outcome {
  const root = compileBoolean(ast);
  return (properties) => {
    const v = root(properties);
    return v === EVAL_ERROR ? 'error' : v;
  };
}

/** Parses and compiles in one step; throws Sql92ParseError (responseCode 23) for a bad selector. */
export function compileSql92Expression(expression: string): Sql92Predicate {
  return compileSql92(parseSql92(expression));
}
