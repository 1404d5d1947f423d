// Subscription expressions → SubscriptionData (Java FilterAPI.build): "*" matches every tag, "tagA || tagB" lists tags
// (codeSet = Java String.hashCode of each, PROTOCOL.md §4.3), SQL92 expressions are passed through for the broker.
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { javaStringHashCode } from '../../common/java-hash.ts';
import { ExpressionType } from '../../remoting/protocol/body/heartbeat-data.ts';
import type { SubscriptionData } from '../../remoting/protocol/body/heartbeat-data.ts';

export { ExpressionType };

/** The "match everything" expression. */
export const SUB_ALL = '*';

/**
 * Parse `expression` for `topic`. TAG: empty or "*" → all; otherwise tags split on "||" and trimmed (empty parts
 * ignored; an expression with no tag at all is an error, as in Java). SQL92: kept verbatim, must not be empty.
 * `subVersion` defaults to the current time in ms, like Java.
 */
export function buildSubscriptionData(
  topic: string,
  expression: string | undefined = SUB_ALL,
  type: ExpressionType = ExpressionType.TAG,
  subVersion: number = Date.now(),
): SubscriptionData {
  if (!topic) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'topic is empty');
  const base = { topic, subVersion, expressionType: type, classFilterMode: false };
  if (type === ExpressionType.SQL92) {
    if (!expression || expression.trim() === '') {
      throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `empty SQL92 expression for topic "${topic}"`);
    }
    return { ...base, subString: expression, tagsSet: [], codeSet: [] };
  }
  if (type !== ExpressionType.TAG) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `unknown expression type "${String(type)}"`);
  }
  const expr = expression === undefined ? '' : expression.trim();
  if (expr === '' || expr === SUB_ALL) return { ...base, subString: SUB_ALL, tagsSet: [], codeSet: [] };
  const tagsSet: string[] = [];
  for (const part of expr.split('||')) {
    const tag = part.trim();
    if (tag !== '' && !tagsSet.includes(tag)) tagsSet.push(tag);
  }
  if (tagsSet.length === 0) {
    throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, `subscription expression "${expression}" names no tag`);
  }
  return { ...base, subString: expression ?? SUB_ALL, tagsSet, codeSet: tagsSet.map(javaStringHashCode) };
}

/**
 * Client-side tag filter applied after a pull (Java processPullResult): with a tag list, only messages whose TAGS
 * is one of them pass (tag-less messages are dropped); "*" and SQL92 let everything through.
 */
export function matchesSubscription(sub: SubscriptionData, tags: string | undefined): boolean {
  if (sub.expressionType !== ExpressionType.TAG || sub.classFilterMode || sub.tagsSet.length === 0) return true;
  return tags !== undefined && sub.tagsSet.includes(tags);
}
