// Broker-side message filters built from a consumer subscription (Java ExpressionMessageFilter without the bloom
// filter): TAG ("*" or "tagA || tagB", matched on the ConsumeQueue tagsCode, §7.3) and SQL92 (every tagsCode passes,
// the stored record's properties decide). A cache keyed by (group, topic, type, expression) keeps pulls and long-poll
// wake-ups from re-parsing the same selector.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { javaStringHashCode } from '../../common/java-hash.ts';
import { ExpressionType } from '../../remoting/protocol/body/heartbeat-data.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import type { MessageFilter as StoreMessageFilter } from '../../store/query/get-message-result.ts';
import { compileSql92 } from './sql92-evaluator.ts';
import type { Sql92Predicate, Sql92Properties } from './sql92-evaluator.ts';
import { parseSql92 } from './sql92-parser.ts';

export { ExpressionType };

export const SUB_ALL = '*';

/** Java ExpressionType.isTagType: absent, empty or exactly "TAG" (case-sensitive). */
export function isTagType(type: string | null | undefined): boolean {
  return type === undefined || type === null || type === '' || type === ExpressionType.TAG;
}

/** The parts of a SubscriptionData (heartbeat or PULL header) a filter is built from. */
export interface FilterSubscription {
  /** "*", "tagA || tagB", or an SQL92 selector. */
  readonly subString: string;
  /** 'TAG' (default when absent/empty) or 'SQL92'. */
  readonly expressionType?: string | null | undefined;
  readonly classFilterMode?: boolean | undefined;
  /** Tag hash codes as the client sent them; computed from subString when absent. */
  readonly codeSet?: readonly number[] | undefined;
}

/**
 * What the pull path and the long-poll hold service call. Structurally the store's MessageFilter: TAG filters leave
 * `isMatchedByProperties` undefined so the store does not decode properties for them (Java's tag filter answers
 * true there anyway); SQL92 filters always define it.
 */
export interface MessageFilter extends StoreMessageFilter {
  readonly expressionType: ExpressionType;
  /** The subscription expression as given (trimmed; "*" for match-all tags). */
  readonly expression: string;
}

/** Tags of a TAG expression (FilterAPI): split on "||", trimmed, empty and duplicate entries dropped; [] = all. */
export function parseTagExpression(subString: string): string[] {
  const s = subString.trim();
  if (s === '' || s === SUB_ALL) return [];
  const tags: string[] = [];
  for (const part of s.split('||')) {
    const tag = part.trim();
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

export class TagExpressionFilter implements MessageFilter {
  readonly expressionType = ExpressionType.TAG;
  readonly expression: string;
  readonly #all: boolean;
  readonly #codes: ReadonlySet<number>;

  constructor(subscription: FilterSubscription) {
    const tags = parseTagExpression(subscription.subString);
    this.expression = tags.length === 0 ? SUB_ALL : subscription.subString.trim();
    this.#all = subscription.classFilterMode === true || tags.length === 0;
    const codes = subscription.codeSet ?? tags.map(javaStringHashCode);
    this.#codes = new Set(codes.map((c) => c | 0));
  }

  /** tagsCode is the ConsumeQueue unit's tag hash (Java String.hashCode of the TAGS property, 0 when untagged). */
  isMatchedByTagsCode(tagsCode: number): boolean {
    return this.#all || this.#codes.has(tagsCode | 0);
  }
}

export class Sql92MessageFilter implements MessageFilter {
  readonly expressionType = ExpressionType.SQL92;
  readonly expression: string;
  readonly #predicate: Sql92Predicate;

  /** Throws Sql92ParseError (INVALID_ARGUMENT, responseCode 23) when the selector does not parse. */
  constructor(expression: string) {
    this.expression = expression;
    this.#predicate = compileSql92(parseSql92(expression));
  }

  /** No bloom filter here: every ConsumeQueue unit goes on to the property check. */
  isMatchedByTagsCode(_tagsCode: number): boolean {
    return true;
  }

  /** The selector over the record's properties (user ones plus TAGS, KEYS, ...); false rather than ever throwing. */
  isMatchedByProperties(properties: Sql92Properties): boolean {
    try {
      return this.#predicate(properties);
    } catch {
      return false;
    }
  }
}

function unsupportedType(type: string, subString: string): RocketMQError {
  return new RocketMQError(
    ERROR_CODES.INVALID_ARGUMENT,
    `parse the consumer's subscription[${subString}] failed: expression type ${type} is not supported`,
    { responseCode: ResponseCode.SUBSCRIPTION_PARSE_FAILED },
  );
}

/**
 * The filter for a subscription. Throws RocketMQError with responseCode 23 (SUBSCRIPTION_PARSE_FAILED) for a bad
 * SQL92 selector (a Sql92ParseError naming line and column) or an unknown expression type.
 */
export function buildMessageFilter(subscription: FilterSubscription): MessageFilter {
  const type = subscription.expressionType;
  if (isTagType(type)) return new TagExpressionFilter(subscription);
  if (type === ExpressionType.SQL92) return new Sql92MessageFilter(subscription.subString);
  throw unsupportedType(String(type), subscription.subString);
}

type CacheEntry = { readonly filter: MessageFilter } | { readonly error: unknown };

export interface MessageFilterCacheOptions {
  /** Entries kept before the least recently used is dropped (default 4096). */
  maxEntries?: number;
}

/**
 * Built filters by (group, topic, expression type, expression), least recently used evicted. Parse failures are
 * cached too and thrown again, so a consumer stuck on a bad selector costs one parse.
 */
export class MessageFilterCache {
  readonly #max: number;
  readonly #entries = new Map<string, CacheEntry>();

  constructor(options: MessageFilterCacheOptions = {}) {
    const max = options.maxEntries ?? 4096;
    if (!Number.isInteger(max) || max < 1) {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `maxEntries must be a positive integer, got ${max}`);
    }
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached filter for this subscription, building (and caching) it on first use; throws like buildMessageFilter. */
  get(group: string, topic: string, subscription: FilterSubscription): MessageFilter {
    const type = isTagType(subscription.expressionType) ? ExpressionType.TAG : String(subscription.expressionType);
    const key = `${group}\u0001${topic}\u0001${type}\u0001${subscription.subString}`;
    let entry = this.#entries.get(key);
    if (entry !== undefined) {
      // Refresh recency.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else {
      try {
        entry = { filter: buildMessageFilter(subscription) };
      } catch (e) {
        entry = { error: e };
      }
      this.#entries.set(key, entry);
      if (this.#entries.size > this.#max) {
        const oldest = this.#entries.keys().next();
        if (oldest.done !== true) this.#entries.delete(oldest.value);
      }
    }
    if ('error' in entry) throw entry.error;
    return entry.filter;
  }

  /** Drops the entries of a group (and topic, when given): call when its subscriptions change or it goes away. */
  invalidate(group: string, topic?: string): void {
    const prefix = topic === undefined ? `${group}\u0001` : `${group}\u0001${topic}\u0001`;
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith(prefix)) this.#entries.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
