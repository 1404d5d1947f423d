// The admin processor registers every admin code of this family exactly once (the per-family tests drive them over TCP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminProcessor } from '../../../src/broker/processor/admin-processor.ts';
import type { BrokerAdminContext } from '../../../src/broker/processor/broker-admin-processor.ts';
import { createLogger } from '../../../src/common/logger.ts';
import { RequestCode } from '../../../src/remoting/protocol/request-code.ts';

test('AdminProcessor serves each admin request code once', () => {
  const ctx = { now: () => 0, log: createLogger('test') } as unknown as BrokerAdminContext;
  const codes = new AdminProcessor(ctx).handlers().map(([c]) => c);
  assert.equal(new Set(codes).size, codes.length, 'no duplicates');
  assert.deepEqual(
    [...codes].sort((a, b) => a - b),
    [
      RequestCode.GET_TOPIC_NAME_LIST,
      RequestCode.UPDATE_BROKER_CONFIG,
      RequestCode.GET_BROKER_CONFIG,
      RequestCode.GET_BROKER_RUNTIME_INFO,
      RequestCode.GET_ALL_CONSUMER_OFFSET,
      RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
      RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
      RequestCode.GET_TOPIC_STATS_INFO,
      RequestCode.GET_CONSUMER_CONNECTION_LIST,
      RequestCode.GET_PRODUCER_CONNECTION_LIST,
      RequestCode.DELETE_SUBSCRIPTIONGROUP,
      RequestCode.GET_CONSUME_STATS,
      RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
      RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
      RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
      RequestCode.GET_CONSUMER_RUNNING_INFO,
      RequestCode.QUERY_TOPICS_BY_CONSUMER,
      RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG,
    ],
  );
});
