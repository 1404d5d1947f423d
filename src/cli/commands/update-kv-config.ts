// mqadmin updateKvConfig: put a KV config entry on every NameServer.
import type { MqadminCommand } from '../command.ts';
import { reqString } from '../flags.ts';
import { emit } from '../output.ts';

export const updateKvConfigCommand: MqadminCommand = {
  name: 'updateKvConfig',
  description: 'Create or update KV config',
  options: [
    { flags: '-s, --namespace <namespace>', description: 'set the namespace', required: true },
    { flags: '-k, --key <key>', description: 'set the key name', required: true },
    { flags: '-v, --value <value>', description: 'set the key value', required: true },
  ],
  async run(ctx) {
    const namespace = reqString(ctx.opts, 'namespace', '-s');
    const key = reqString(ctx.opts, 'key', '-k');
    const value = typeof ctx.opts.value === 'string' ? ctx.opts.value : '';
    await (await ctx.admin()).putKvConfig(namespace, key, value);
    emit(ctx, { namespace, key, value }, () => 'create or update kv config to namespace success.\n');
  },
};
