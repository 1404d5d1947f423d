// mqadmin getBrokerConfig: every config key of one broker or of every master of a cluster.
import type { MqadminCommand } from '../command.ts';
import { addrArg, brokerOrCluster } from '../flags.ts';
import { emit, formatKeyValues } from '../output.ts';

export const getBrokerConfigCommand: MqadminCommand = {
  name: 'getBrokerConfig',
  description: 'Get broker config by cluster or special broker',
  options: [
    { flags: '-b, --brokerAddr <addr>', description: 'get which broker', parse: addrArg },
    { flags: '-c, --clusterName <cluster>', description: 'get which cluster' },
  ],
  async run(ctx) {
    const target = brokerOrCluster(ctx.opts);
    const admin = await ctx.admin();
    const addrs = target.brokerAddr !== undefined ? [target.brokerAddr] : await admin.masterAddrsOfCluster(target.clusterName as string);
    const out: Record<string, Record<string, string>> = {};
    for (const addr of addrs) out[addr] = (await admin.getBrokerConfig(addr)).properties;
    emit(ctx, target.brokerAddr !== undefined ? out[target.brokerAddr] : out, () =>
      addrs
        .map((addr) => `============${addr}============\n` + formatKeyValues(Object.entries(out[addr]).sort(([a], [b]) => (a < b ? -1 : 1))))
        .join('\n'),
    );
  },
};
