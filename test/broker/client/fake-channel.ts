// A RemotingChannel stand-in for registry tests: records close() and fires onClose listeners.
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import type { RemotingCommand } from '../../../src/remoting/protocol/remoting-command.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';

let seq = 0;

export class FakeChannel implements RemotingChannel {
  readonly id: string;
  readonly remoteAddress: string;
  readonly localAddress = '127.0.0.1:10911';
  closed = false;
  closeReason: string | undefined;
  readonly #listeners: ((c: RemotingChannel) => void)[] = [];

  constructor(remoteAddress = `10.0.0.${++seq}:5${String(seq).padStart(4, '0')}`) {
    this.id = `fake-${seq}-${remoteAddress}`;
    this.remoteAddress = remoteAddress;
  }

  invoke(_request: RemotingCommand, _timeoutMs: number): Promise<RemotingCommand> {
    return Promise.reject(new RocketMQError(ERROR_CODES.CONNECTION, 'fake channel'));
  }

  invokeOneway(_request: RemotingCommand): void {}

  write(_command: RemotingCommand): void {}

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const l of this.#listeners) l(this);
  }

  onClose(listener: (channel: RemotingChannel) => void): void {
    this.#listeners.push(listener);
  }
}
