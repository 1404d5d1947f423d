// mqadmin updateSubGroup: create or update a subscription group on one broker (-b) or every master of a cluster (-c).
import { InvalidArgumentError } from 'commander';
import type { SubscriptionGroupInput } from '../../client/admin/group-admin.ts';
import type { MqadminCommand } from '../command.ts';
import { boolArg, brokerOrCluster, nonNegativeIntArg, optBool, optNumber, optString, reqString, intArg } from '../flags.ts';
import { emit, formatKeyValues } from '../output.ts';
import { parseAttributes } from './update-topic.ts';

function jsonObjectArg(value: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not JSON.`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidArgumentError(`'${value}' is not a JSON object.`);
  return v as Record<string, unknown>;
}

export const updateSubGroupCommand: MqadminCommand = {
  name: 'updateSubGroup',
  description: 'Update or create subscription group',
  options: [
    { flags: '-b, --brokerAddr <addr>', description: 'create subscription group to which broker' },
    { flags: '-c, --clusterName <cluster>', description: 'create subscription group to which cluster' },
    { flags: '-g, --groupName <group>', description: 'consumer group name', required: true },
    { flags: '-s, --consumeEnable <bool>', description: 'consume enable', parse: boolArg },
    { flags: '-m, --consumeFromMinEnable <bool>', description: 'from min offset', parse: boolArg },
    { flags: '-d, --consumeBroadcastEnable <bool>', description: 'broadcast', parse: boolArg },
    { flags: '-o, --consumeMessageOrderly <bool>', description: 'consume message orderly', parse: boolArg },
    { flags: '-q, --retryQueueNums <n>', description: 'retry queue nums', parse: nonNegativeIntArg },
    { flags: '-r, --retryMaxTimes <n>', description: 'retry max times', parse: intArg },
    { flags: '-p, --groupRetryPolicy <json>', description: 'retry policy, e.g. {"type":"EXPONENTIAL",...}', parse: jsonObjectArg },
    { flags: '-i, --brokerId <id>', description: 'consumer from which broker id', parse: nonNegativeIntArg },
    { flags: '-w, --whichBrokerWhenConsumeSlowly <id>', description: 'which broker id when consume slowly', parse: nonNegativeIntArg },
    { flags: '-a, --notifyConsumerIdsChanged <bool>', description: 'notify consumerId changed', parse: boolArg },
    { flags: '--attributes <attrs>', description: 'attribute(+a=b,+c=d,-e)' },
  ],
  async run(ctx) {
    const o = ctx.opts;
    const target = brokerOrCluster(o);
    const config: SubscriptionGroupInput = { groupName: reqString(o, 'groupName', '-g') };
    const set = <K extends keyof SubscriptionGroupInput>(k: K, v: SubscriptionGroupInput[K] | undefined): void => {
      if (v !== undefined) config[k] = v;
    };
    set('consumeEnable', optBool(o, 'consumeEnable'));
    set('consumeFromMinEnable', optBool(o, 'consumeFromMinEnable'));
    set('consumeBroadcastEnable', optBool(o, 'consumeBroadcastEnable'));
    set('consumeMessageOrderly', optBool(o, 'consumeMessageOrderly'));
    set('retryQueueNums', optNumber(o, 'retryQueueNums'));
    set('retryMaxTimes', optNumber(o, 'retryMaxTimes'));
    set('brokerId', optNumber(o, 'brokerId'));
    set('whichBrokerWhenConsumeSlowly', optNumber(o, 'whichBrokerWhenConsumeSlowly'));
    set('notifyConsumerIdsChangedEnable', optBool(o, 'notifyConsumerIdsChanged'));
    const policy = o.groupRetryPolicy;
    if (typeof policy === 'object' && policy !== null) config.groupRetryPolicy = policy as Record<string, unknown>;
    set('attributes', parseAttributes(optString(o, 'attributes')));
    const addrs = await (await ctx.admin()).createOrUpdateSubscriptionGroup(config, target);
    emit(ctx, { brokerAddrs: addrs, subscriptionGroupConfig: config }, () =>
      addrs.map((a) => `create subscription group to ${a} success.\n`).join('') +
      formatKeyValues(Object.entries(config).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v])),
    );
  },
};
