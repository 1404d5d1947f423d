// mqadmin updateNamesrvConfig: set one config key on each NameServer given with -n.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const updateNamesrvConfigCommand: MqadminCommand = {
  name: 'updateNamesrvConfig',
  description: 'Update configs of name server',
  options: [
    { flags: '-k, --key <key>', description: 'config key', required: true },
    { flags: '-v, --value <value>', description: 'config value', required: true },
  ],
  async run(ctx) {
    const key = reqString(ctx.opts, 'key', '-k');
    const value = typeof ctx.opts.value === 'string' ? ctx.opts.value : '';
    const admin = await ctx.admin();
    await admin.updateNamesrvConfig({ [key]: value });
    const addrs = admin.clientInstance?.config.namesrvAddr ?? [];
    emit(ctx, { key, value, namesrvAddrs: addrs }, () => `update name server config success!${JSON.stringify(addrs)}\n  ${key} : ${value}\n`);
  },
};
