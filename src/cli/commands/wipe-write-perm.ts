// mqadmin wipeWritePerm: take write permission away from a broker on every NameServer (topics become read-only).
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const wipeWritePermCommand: MqadminCommand = {
  name: 'wipeWritePerm',
  description: 'Wipe write perm of broker in all name server you defined in the -n param',
  options: [{ flags: '-b, --brokerName <name>', description: 'broker name', required: true }],
  async run(ctx) {
    const brokerName = reqString(ctx.opts, 'brokerName', '-b');
    const res = await (await ctx.admin()).wipeWritePerm(brokerName);
    emit(ctx, { brokerName, results: res }, () =>
      res.map((r) => `wipe write perm of broker[${brokerName}] in name server[${r.namesrvAddr}] OK, ${r.topicCount}\n`).join(''),
    );
  },
};
