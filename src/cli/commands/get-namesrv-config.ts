// mqadmin getNamesrvConfig: every config key of each NameServer given with -n.
import type { MqadminCommand } from '../command.ts';
import { emit, formatKeyValues } from '../output.ts';

export const getNamesrvConfigCommand: MqadminCommand = {
  name: 'getNamesrvConfig',
  description: 'Get configs of name server',
  options: [],
  async run(ctx) {
    const all = await (await ctx.admin()).getNamesrvConfig();
    emit(ctx, all, () =>
      Object.entries(all)
        .map(([addr, props]) => `============${addr}============\n` + formatKeyValues(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1))))
        .join('\n'),
    );
  },
};
