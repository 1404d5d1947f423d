// Custom headers of the NameServer requests (PROTOCOL.md §2.1/§2.2; Java package protocol.header.namesrv).
// `required: true` mirrors Java's @CFNotNull. Shared by the NameServer, the broker (registration) and the client.
import { defineHeader } from '../header.ts';
import type { HeaderOf } from '../header.ts';

export const RegisterBrokerRequestHeader = defineHeader('RegisterBrokerRequestHeader', {
  brokerName: { kind: 'string', required: true },
  brokerAddr: { kind: 'string', required: true },
  clusterName: { kind: 'string', required: true },
  haServerAddr: { kind: 'string', required: true },
  brokerId: { kind: 'long', required: true },
  heartbeatTimeoutMillis: { kind: 'long' },
  enableActingMaster: { kind: 'bool' },
  compressed: { kind: 'bool' },
  /** CRC32 & 0x7FFFFFFF of the body; 0 or absent = not checked. */
  bodyCrc32: { kind: 'int' },
});
export type RegisterBrokerRequestHeader = HeaderOf<typeof RegisterBrokerRequestHeader.spec>;

export const RegisterBrokerResponseHeader = defineHeader('RegisterBrokerResponseHeader', {
  haServerAddr: { kind: 'string' },
  masterAddr: { kind: 'string' },
});
export type RegisterBrokerResponseHeader = HeaderOf<typeof RegisterBrokerResponseHeader.spec>;

export const UnRegisterBrokerRequestHeader = defineHeader('UnRegisterBrokerRequestHeader', {
  brokerName: { kind: 'string', required: true },
  brokerAddr: { kind: 'string', required: true },
  clusterName: { kind: 'string', required: true },
  brokerId: { kind: 'long', required: true },
});
export type UnRegisterBrokerRequestHeader = HeaderOf<typeof UnRegisterBrokerRequestHeader.spec>;

export const BrokerHeartbeatRequestHeader = defineHeader('BrokerHeartbeatRequestHeader', {
  clusterName: { kind: 'string', required: true },
  brokerAddr: { kind: 'string', required: true },
  brokerName: { kind: 'string', required: true },
  brokerId: { kind: 'long' },
  epoch: { kind: 'int' },
  maxOffset: { kind: 'long' },
  confirmOffset: { kind: 'long' },
  heartbeatTimeoutMills: { kind: 'long' },
  electionPriority: { kind: 'int' },
});
export type BrokerHeartbeatRequestHeader = HeaderOf<typeof BrokerHeartbeatRequestHeader.spec>;

export const QueryDataVersionRequestHeader = defineHeader('QueryDataVersionRequestHeader', {
  brokerName: { kind: 'string', required: true },
  brokerAddr: { kind: 'string', required: true },
  clusterName: { kind: 'string', required: true },
  brokerId: { kind: 'long', required: true },
});
export type QueryDataVersionRequestHeader = HeaderOf<typeof QueryDataVersionRequestHeader.spec>;

export const QueryDataVersionResponseHeader = defineHeader('QueryDataVersionResponseHeader', {
  changed: { kind: 'bool', required: true },
});
export type QueryDataVersionResponseHeader = HeaderOf<typeof QueryDataVersionResponseHeader.spec>;

export const GetRouteInfoRequestHeader = defineHeader('GetRouteInfoRequestHeader', {
  topic: { kind: 'string', required: true },
  acceptStandardJsonOnly: { kind: 'bool' },
});
export type GetRouteInfoRequestHeader = HeaderOf<typeof GetRouteInfoRequestHeader.spec>;

export const PutKVConfigRequestHeader = defineHeader('PutKVConfigRequestHeader', {
  namespace: { kind: 'string', required: true },
  key: { kind: 'string', required: true },
  value: { kind: 'string', required: true },
});
export type PutKVConfigRequestHeader = HeaderOf<typeof PutKVConfigRequestHeader.spec>;

export const GetKVConfigRequestHeader = defineHeader('GetKVConfigRequestHeader', {
  namespace: { kind: 'string', required: true },
  key: { kind: 'string', required: true },
});
export type GetKVConfigRequestHeader = HeaderOf<typeof GetKVConfigRequestHeader.spec>;

export const GetKVConfigResponseHeader = defineHeader('GetKVConfigResponseHeader', {
  value: { kind: 'string' },
});
export type GetKVConfigResponseHeader = HeaderOf<typeof GetKVConfigResponseHeader.spec>;

export const DeleteKVConfigRequestHeader = defineHeader('DeleteKVConfigRequestHeader', {
  namespace: { kind: 'string', required: true },
  key: { kind: 'string', required: true },
});
export type DeleteKVConfigRequestHeader = HeaderOf<typeof DeleteKVConfigRequestHeader.spec>;

export const GetKVListByNamespaceRequestHeader = defineHeader('GetKVListByNamespaceRequestHeader', {
  namespace: { kind: 'string', required: true },
});
export type GetKVListByNamespaceRequestHeader = HeaderOf<typeof GetKVListByNamespaceRequestHeader.spec>;

export const WipeWritePermOfBrokerRequestHeader = defineHeader('WipeWritePermOfBrokerRequestHeader', {
  brokerName: { kind: 'string', required: true },
});
export type WipeWritePermOfBrokerRequestHeader = HeaderOf<typeof WipeWritePermOfBrokerRequestHeader.spec>;

export const WipeWritePermOfBrokerResponseHeader = defineHeader('WipeWritePermOfBrokerResponseHeader', {
  wipeTopicCount: { kind: 'int', required: true },
});
export type WipeWritePermOfBrokerResponseHeader = HeaderOf<typeof WipeWritePermOfBrokerResponseHeader.spec>;

export const AddWritePermOfBrokerRequestHeader = defineHeader('AddWritePermOfBrokerRequestHeader', {
  brokerName: { kind: 'string', required: true },
});
export type AddWritePermOfBrokerRequestHeader = HeaderOf<typeof AddWritePermOfBrokerRequestHeader.spec>;

export const AddWritePermOfBrokerResponseHeader = defineHeader('AddWritePermOfBrokerResponseHeader', {
  addTopicCount: { kind: 'int', required: true },
});
export type AddWritePermOfBrokerResponseHeader = HeaderOf<typeof AddWritePermOfBrokerResponseHeader.spec>;

export const DeleteTopicFromNamesrvRequestHeader = defineHeader('DeleteTopicFromNamesrvRequestHeader', {
  topic: { kind: 'string', required: true },
  clusterName: { kind: 'string' },
});
export type DeleteTopicFromNamesrvRequestHeader = HeaderOf<typeof DeleteTopicFromNamesrvRequestHeader.spec>;

export const RegisterTopicRequestHeader = defineHeader('RegisterTopicRequestHeader', {
  topic: { kind: 'string', required: true },
});
export type RegisterTopicRequestHeader = HeaderOf<typeof RegisterTopicRequestHeader.spec>;

export const GetTopicsByClusterRequestHeader = defineHeader('GetTopicsByClusterRequestHeader', {
  cluster: { kind: 'string', required: true },
});
export type GetTopicsByClusterRequestHeader = HeaderOf<typeof GetTopicsByClusterRequestHeader.spec>;
