// Public surface of the store layer: the broker imports from here only.
export { MessageStore } from './message-store.ts';
export type { MessageStoreOptions, PutMessageResult, PutMessageInput, QueryMessageResult } from './message-store.ts';
export { defaultMessageStoreConfig, FlushDiskType } from './config/message-store-config.ts';
export type { MessageStoreConfig } from './config/message-store-config.ts';
export { PutMessageStatus } from './commitlog/commit-log.ts';
export { GetMessageStatus } from './query/get-message-result.ts';
export type { GetMessageResult, MessageFilter } from './query/get-message-result.ts';
export { BoundaryType } from './consumequeue/consume-queue.ts';
export { SCHEDULE_TOPIC } from './dispatch/reput-service.ts';
export type { MessageArrivedListener } from './dispatch/reput-service.ts';
export { parseDelayLevels } from './dispatch/delay-level.ts';
export type { CleanReport } from './clean/clean-service.ts';
export type { RecoveryResult } from './recovery/store-recovery.ts';
export { FaultPoints, FaultPoint } from './fault-points.ts';
export { storePaths } from './store-path.ts';
export type { StorePaths } from './store-path.ts';
