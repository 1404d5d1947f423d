// Typed custom headers over extFields (PROTOCOL.md §1.2). Decoding is lenient like Java's: unknown keys are ignored,
// values arrive as strings (our codec stringifies JSON numbers/booleans from ali-ons/C++); a missing required field or
// a non-numeric value for a numeric field is a RocketMQError(INVALID_HEADER) that names the header and the field.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import type { ExtFields } from './remoting-command.ts';

export type FieldKind = 'string' | 'int' | 'long' | 'bool' | 'double';
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
}
export type HeaderSpec = Readonly<Record<string, FieldSpec>>;

type ValueOf<K extends FieldKind> = K extends 'string' ? string : K extends 'bool' ? boolean : number;
type RequiredKeys<S extends HeaderSpec> = { [K in keyof S]: S[K]['required'] extends true ? K : never }[keyof S];
type OptionalKeys<S extends HeaderSpec> = Exclude<keyof S, RequiredKeys<S>>;
export type HeaderOf<S extends HeaderSpec> = { [K in RequiredKeys<S>]: ValueOf<S[K]['kind']> } & {
  [K in OptionalKeys<S>]?: ValueOf<S[K]['kind']>;
};

const INT_RE = /^[+-]?\d+$/;
const DOUBLE_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export class HeaderCodec<S extends HeaderSpec> {
  readonly name: string;
  readonly spec: S;
  /** The spec's fields as [name, kind, required] (decode runs on every request; no Object.entries per call). */
  readonly #fields: ReadonlyArray<readonly [string, FieldKind, boolean]>;

  constructor(name: string, spec: S) {
    this.name = name;
    this.spec = spec;
    this.#fields = Object.entries(spec).map(([k, fs]) => [k, fs.kind, fs.required === true] as const);
  }

  /** extFields → typed header. Throws RocketMQError(INVALID_HEADER) naming the header and field. */
  decode(extFields: ExtFields | undefined): HeaderOf<S> {
    const out: Record<string, string | number | boolean> = {};
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i++) {
      const [field, kind, required] = fields[i];
      const raw = extFields?.[field];
      if (raw === undefined || raw === null || (raw === '' && kind !== 'string')) {
        if (required) throw this.#error(`missing required field '${field}'`);
        continue;
      }
      out[field] = kind === 'string' ? String(raw) : this.#parse(field, kind, String(raw));
    }
    return out as HeaderOf<S>;
  }

  /** Typed header → extFields: every value as a string (Java's String.valueOf), undefined fields skipped. */
  encode(header: Partial<HeaderOf<S>> | Record<string, unknown>): ExtFields {
    const out: ExtFields = {};
    const h = header as Record<string, unknown>;
    for (const k in h) {
      if (!Object.hasOwn(h, k)) continue;
      const v = h[k];
      if (v === undefined || v === null) continue;
      out[k] = typeof v === 'string' ? v : String(v);
    }
    return out;
  }

  #parse(field: string, kind: FieldKind, raw: string): string | number | boolean {
    switch (kind) {
      case 'string':
        return raw;
      case 'bool':
        return raw.trim().toLowerCase() === 'true';
      case 'int':
      case 'long': {
        const s = raw.trim();
        if (!INT_RE.test(s)) throw this.#error(`field '${field}' must be an integer, got '${raw}'`);
        const n = Number(s);
        if (kind === 'int' && (n > 2147483647 || n < -2147483648)) throw this.#error(`field '${field}' out of int range: ${raw}`);
        return n;
      }
      case 'double': {
        const s = raw.trim();
        if (!DOUBLE_RE.test(s)) throw this.#error(`field '${field}' must be a number, got '${raw}'`);
        return Number(s);
      }
    }
  }

  #error(what: string): RocketMQError {
    return new RocketMQError(ERROR_CODES.INVALID_HEADER, `${this.name}: ${what}`);
  }
}

/** Declare a header: `const GetRouteInfoRequestHeader = defineHeader('GetRouteInfoRequestHeader', { topic: { kind: 'string', required: true } })`. */
export function defineHeader<const S extends HeaderSpec>(name: string, spec: S): HeaderCodec<S> {
  return new HeaderCodec(name, spec);
}
