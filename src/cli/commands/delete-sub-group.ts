// mqadmin deleteSubGroup: delete a subscription group from one broker (-b) or every master of a cluster (-c).
import type { MqadminCommand } from '../command.ts';
import { boolArg, brokerOrCluster, optBool, reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const deleteSubGroupCommand: MqadminCommand = {
  name: 'deleteSubGroup',
  description: 'Delete subscription group from broker',
  options: [
    { flags: '-b, --brokerAddr <addr>', description: 'delete subscription group from which broker' },
    { flags: '-c, --clusterName <cluster>', description: 'delete subscription group from which cluster' },
    { flags: '-g, --groupName <group>', description: 'subscription group name', required: true },
    { flags: '-r, --removeOffset <bool>', description: 'remove offset (default false)', parse: boolArg },
  ],
  async run(ctx) {
    const target = brokerOrCluster(ctx.opts);
    const group = reqString(ctx.opts, 'groupName', '-g');
    const cleanOffset = optBool(ctx.opts, 'removeOffset') ?? false;
    const addrs = await (await ctx.admin()).deleteSubscriptionGroup(group, target, { cleanOffset });
    emit(ctx, { groupName: group, brokerAddrs: addrs, removeOffset: cleanOffset }, () =>
      addrs.map((a) => `delete subscription group [${group}] from broker [${a}] success.\n`).join(''),
    );
  },
};
