// Subscriptions seen by the pull path (Java FilterAPI.build): a PULL header's subscription string becomes a
// SubscriptionData — TAG ("*" or "tagA || tagB", hash codes for the ConsumeQueue tagsCode, §7.3) or SQL92 (the
// expression kept whole; the broker's property filter decides, src/broker/filter). Filters themselves come from
// filter/message-filter.ts (buildMessageFilter / MessageFilterCache); TagMessageFilter stays for callers that only
// have a TAG subscription.
import { javaStringHashCode } from '../../common/java-hash.ts';
import type { MessageFilter } from '../../store/query/get-message-result.ts';
import type { SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';
import { ExpressionType, isTagType, parseTagExpression } from '../filter/message-filter.ts';
import type { FilterSubscription } from '../filter/message-filter.ts';

export const SUB_ALL = '*';

/** SubscriptionData from a PULL header's subscription string (FilterAPI.build). */
export function buildSubscriptionData(topic: string, subString: string | undefined, expressionType = 'TAG', subVersion = 0): SubscriptionData {
  const s = subString === undefined ? '' : subString.trim();
  if (!isTagType(expressionType)) {
    return { topic, subString: s, tagsSet: [], codeSet: [], subVersion, expressionType, classFilterMode: false };
  }
  const tagsSet = parseTagExpression(s);
  const all = tagsSet.length === 0;
  return {
    topic,
    subString: all ? SUB_ALL : s,
    tagsSet,
    codeSet: tagsSet.map(javaStringHashCode),
    subVersion,
    expressionType: ExpressionType.TAG,
    classFilterMode: false,
  };
}

/** The filter-relevant part of a SubscriptionData (what MessageFilterCache / buildMessageFilter take). */
export function filterSubscriptionOf(sub: SubscriptionData): FilterSubscription {
  return {
    subString: sub.subString,
    expressionType: sub.expressionType,
    classFilterMode: sub.classFilterMode,
    codeSet: isTagType(sub.expressionType) && sub.codeSet.length > 0 ? sub.codeSet : undefined,
  };
}

/** Matches a ConsumeQueue tagsCode against a TAG subscription; "*" (or class-filter mode) matches everything. */
export class TagMessageFilter implements MessageFilter {
  readonly subscription: SubscriptionData;
  readonly #all: boolean;
  readonly #codes: ReadonlySet<number>;

  constructor(subscription: SubscriptionData) {
    this.subscription = subscription;
    this.#all = subscription.classFilterMode || subscription.subString === SUB_ALL || subscription.subString === '';
    this.#codes = new Set(subscription.codeSet.map((c) => c | 0));
  }

  isMatchedByTagsCode(tagsCode: number): boolean {
    if (this.#all) return true;
    return this.#codes.has(tagsCode | 0);
  }
}
