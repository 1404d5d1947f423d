// A NamesrvController used without a server: handlers called directly with a fake channel.
import { join } from 'node:path';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.ts';
import type { NamesrvConfig } from '../../../src/namesrv/namesrv-config.ts';
import { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import type { ExtFields } from '../../../src/remoting/protocol/remoting-command.ts';
import { FakeChannel, tempDir } from '../namesrv-test-helpers.ts';

export interface Kit {
  ctrl: NamesrvController;
  dir: string;
  call(req: RemotingCommand, channel?: FakeChannel): RemotingCommand;
  req(code: number, ext?: ExtFields, body?: Buffer | string): RemotingCommand;
  cleanup(): void;
}

export function kit(config: Partial<NamesrvConfig> = {}, now?: () => number): Kit {
  const { dir, cleanup } = tempDir('namesrv-proc');
  const ctrl = new NamesrvController({
    config: { kvConfigPath: join(dir, 'kvConfig.json'), configStorePath: join(dir, 'namesrv.properties'), ...config },
    now,
  });
  const handlers = ctrl.handlers();
  const defaultChannel = new FakeChannel();
  return {
    ctrl,
    dir,
    call(req, channel = defaultChannel) {
      const h = handlers.get(req.code);
      if (!h) throw new Error(`no handler for ${req.code}`);
      return h(req, channel);
    },
    req(code, ext, body) {
      return RemotingCommand.request(code, ext, typeof body === 'string' ? Buffer.from(body) : body);
    },
    cleanup,
  };
}
