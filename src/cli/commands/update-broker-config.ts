// mqadmin updateBrokerConfig: set one config key on one broker or every master of a cluster (-a: slaves too).
import type { MqadminCommand } from '../command.ts';
import { addrArg, boolArg, brokerOrCluster, optBool, reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const updateBrokerConfigCommand: MqadminCommand = {
  name: 'updateBrokerConfig',
  description: 'Update broker config by special broker or all brokers in cluster',
  options: [
    { flags: '-b, --brokerAddr <addr>', description: 'update which broker', parse: addrArg },
    { flags: '-c, --clusterName <cluster>', description: 'update which cluster' },
    { flags: '-a, --updateAllBroker <bool>', description: 'update all brokers include slave', parse: boolArg },
    { flags: '-k, --key <key>', description: 'config key', required: true },
    { flags: '-v, --value <value>', description: 'config value', required: true },
  ],
  async run(ctx) {
    const target = brokerOrCluster(ctx.opts);
    const key = reqString(ctx.opts, 'key', '-k');
    const value = typeof ctx.opts.value === 'string' ? ctx.opts.value : '';
    const admin = await ctx.admin();
    let addrs: string[];
    if (target.clusterName !== undefined && optBool(ctx.opts, 'updateAllBroker') === true) {
      const ci = await admin.clusterInfo();
      const names = ci.clusterAddrTable[target.clusterName] ?? [];
      addrs = names.flatMap((n) => Object.values(ci.brokerAddrTable[n]?.brokerAddrs ?? {})).sort();
      await Promise.all(addrs.map((a) => admin.updateBrokerConfig({ [key]: value }, { brokerAddr: a })));
    } else {
      addrs = await admin.updateBrokerConfig({ [key]: value }, target);
    }
    emit(ctx, { key, value, brokerAddrs: addrs }, () => addrs.map((a) => `update broker config success, ${a}\n`).join(''));
  },
};
