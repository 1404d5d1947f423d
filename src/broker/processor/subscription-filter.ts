// Tag subscriptions (Java FilterAPI.build + ExpressionMessageFilter, TAG type only): "*" or "tagA || tagB", matched
// against the ConsumeQueue tagsCode (Java String.hashCode of the tag, §7.3).
import { javaStringHashCode } from '../../common/java-hash.ts';
import type { MessageFilter } from '../../store/query/get-message-result.ts';
import type { SubscriptionData } from '../client/heartbeat-data.ts';

export const SUB_ALL = '*';

/** SubscriptionData from a PULL header's subscription string (FilterAPI.build). */
export function buildSubscriptionData(topic: string, subString: string | undefined, expressionType = 'TAG', subVersion = 0): SubscriptionData {
  const s = subString === undefined ? '' : subString.trim();
  const tagsSet: string[] = [];
  if (s !== '' && s !== SUB_ALL) {
    for (const t of s.split('||')) {
      const tag = t.trim();
      if (tag !== '' && !tagsSet.includes(tag)) tagsSet.push(tag);
    }
  }
  const all = tagsSet.length === 0;
  return {
    topic,
    subString: all ? SUB_ALL : s,
    tagsSet,
    codeSet: tagsSet.map(javaStringHashCode),
    subVersion,
    expressionType,
    classFilterMode: false,
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
