// JSON bodies shared by the NameServer, the broker and the client (PROTOCOL.md §4).
export * from './data-version.ts';
export * from './topic-config.ts';
export * from './topic-config-serialize-wrapper.ts';
export * from './register-broker-body.ts';
export * from './topic-route-data.ts';
export * from './cluster-info.ts';
export * from './topic-list.ts';
export * from './kv-table.ts';
export { parseBodyJson } from './json-fields.ts';
