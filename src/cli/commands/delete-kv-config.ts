// mqadmin deleteKvConfig: delete a KV config entry on every NameServer.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const deleteKvConfigCommand: MqadminCommand = {
  name: 'deleteKvConfig',
  description: 'Delete KV config',
  options: [
    { flags: '-s, --namespace <namespace>', description: 'set the namespace', required: true },
    { flags: '-k, --key <key>', description: 'set the key name', required: true },
  ],
  async run(ctx) {
    const namespace = reqString(ctx.opts, 'namespace', '-s');
    const key = reqString(ctx.opts, 'key', '-k');
    await (await ctx.admin()).deleteKvConfig(namespace, key);
    emit(ctx, { namespace, key, deleted: true }, () => 'delete kv config from namespace success.\n');
  },
};
