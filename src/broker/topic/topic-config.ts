// Broker-side helpers around the shared TopicConfig body type (PROTOCOL.md §4.4; perm bits §4.1).
import { PermName } from '../../remoting/protocol/body/topic-config.ts';
import type { TopicConfig } from '../../remoting/protocol/body/topic-config.ts';

export {
  PermName,
  TopicSysFlag,
  isReadable,
  isWriteable,
  newTopicConfig,
  topicConfigFromJson,
  topicConfigToJson,
} from '../../remoting/protocol/body/topic-config.ts';
export type { TopicConfig, TopicFilterType } from '../../remoting/protocol/body/topic-config.ts';

/** Perm 6: what normal, retry and DLQ topics get. */
export const PERM_READ_WRITE = PermName.READ | PermName.WRITE;

export function isInherited(perm: number): boolean {
  return (perm & PermName.INHERIT) === PermName.INHERIT;
}

/** "RW-"-style text for admin output: R read, W write, X inherit, '-' missing. */
export function permToString(perm: number): string {
  const r = (perm & PermName.READ) === PermName.READ ? 'R' : '-';
  const w = (perm & PermName.WRITE) === PermName.WRITE ? 'W' : '-';
  return `${r}${w}${isInherited(perm) ? 'X' : '-'}`;
}

export function cloneTopicConfig(c: Readonly<TopicConfig>): TopicConfig {
  return { ...c, attributes: { ...c.attributes } };
}
