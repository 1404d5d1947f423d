// mqadmin brokerStatus: the runtime stats table (GET_BROKER_RUNTIME_INFO) of one broker or every master of a cluster.
import type { MqadminCommand } from '../command.ts';
import { addrArg, brokerOrCluster } from '../flags.ts';
import { emit, formatKeyValues } from '../output.ts';

export const brokerStatusCommand: MqadminCommand = {
  name: 'brokerStatus',
  description: "Fetch broker runtime status data",
  options: [
    { flags: '-b, --brokerAddr <addr>', description: 'broker address', parse: addrArg },
    { flags: '-c, --clusterName <cluster>', description: 'which cluster' },
  ],
  async run(ctx) {
    const target = brokerOrCluster(ctx.opts);
    const admin = await ctx.admin();
    const addrs = target.brokerAddr !== undefined ? [target.brokerAddr] : await admin.masterAddrsOfCluster(target.clusterName as string);
    const out: Record<string, Record<string, string>> = {};
    for (const addr of addrs) out[addr] = await admin.brokerRuntimeInfo(addr);
    emit(ctx, target.brokerAddr !== undefined ? out[target.brokerAddr] : out, () =>
      addrs
        .map((addr) => {
          const entries = Object.entries(out[addr]).sort(([a], [b]) => (a < b ? -1 : 1));
          const body = formatKeyValues(entries);
          return addrs.length > 1 ? body.split('\n').filter((l) => l !== '').map((l) => `${addr.padEnd(22)}  ${l}\n`).join('') : body;
        })
        .join(''),
    );
  },
};
