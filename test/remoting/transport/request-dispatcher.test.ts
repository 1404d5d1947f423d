import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, RocketMQError } from '../../../src/common/errors.ts';
import { createLogger } from '../../../src/common/logger.ts';
import { RemotingCommand, SerializeType } from '../../../src/remoting/protocol/remoting-command.ts';
import { ResponseCode } from '../../../src/remoting/protocol/response-code.ts';
import { RequestDispatcher } from '../../../src/remoting/transport/request-dispatcher.ts';
import type { RemotingChannel } from '../../../src/remoting/transport/types.ts';

/** A channel that records writes; `failFirstWrite` makes the first write throw like an oversize reply would. */
function fakeChannel(failFirstWrite = false): RemotingChannel & { written: RemotingCommand[] } {
  const written: RemotingCommand[] = [];
  let fail = failFirstWrite;
  return {
    id: 'fake',
    remoteAddress: '10.0.0.1:1234',
    localAddress: '10.0.0.2:10911',
    closed: false,
    written,
    invoke: () => Promise.reject(new Error('unused')),
    invokeOneway: () => undefined,
    write(cmd: RemotingCommand) {
      if (fail) {
        fail = false;
        throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'frame too large');
      }
      written.push(cmd);
    },
    close: () => undefined,
    onClose: () => undefined,
  };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RequestDispatcher', () => {
  test('forces reply opaque, response flag and JSON serialization', () => {
    const d = new RequestDispatcher({ logger: createLogger('test') });
    d.registerHandler(10, () => new RemotingCommand({ code: 0, opaque: 999, serializeType: SerializeType.ROCKETMQ }));
    const ch = fakeChannel();
    d.dispatch(new RemotingCommand({ code: 10, opaque: 42, serializeType: SerializeType.ROCKETMQ }), ch);
    assert.equal(ch.written.length, 1);
    assert.equal(ch.written[0].opaque, 42);
    assert.equal(ch.written[0].isResponse, true);
    assert.equal(ch.written[0].serializeType, SerializeType.JSON);
  });

  test('inflight counts running handlers, sync or async, and goes back to zero', async () => {
    const d = new RequestDispatcher({ logger: createLogger('test'), maxInflightRequests: 1 });
    let release!: () => void;
    d.registerHandler(1, (req) => new Promise<RemotingCommand>((r) => (release = () => r(RemotingCommand.responseTo(req, 0)))));
    d.registerHandler(2, (req) => RemotingCommand.responseTo(req, 0));
    const ch = fakeChannel();
    d.dispatch(new RemotingCommand({ code: 1, opaque: 1 }), ch);
    assert.equal(d.inflight, 1);
    d.dispatch(new RemotingCommand({ code: 2, opaque: 2 }), ch);
    assert.equal(ch.written[0].code, ResponseCode.SYSTEM_BUSY);
    release();
    await flush();
    assert.equal(d.inflight, 0);
    d.dispatch(new RemotingCommand({ code: 2, opaque: 3 }), ch);
    assert.deepEqual(
      ch.written.map((c) => [c.opaque, c.code]),
      [
        [2, ResponseCode.SYSTEM_BUSY],
        [1, 0],
        [3, 0],
      ],
    );
  });

  test('a reply that cannot be written becomes 1 SYSTEM_ERROR', () => {
    const d = new RequestDispatcher({ logger: createLogger('test') });
    d.registerHandler(11, (req) => RemotingCommand.responseTo(req, 0, undefined, undefined, Buffer.alloc(10)));
    const ch = fakeChannel(true);
    d.dispatch(new RemotingCommand({ code: 11, opaque: 8 }), ch);
    assert.equal(ch.written.length, 1);
    assert.equal(ch.written[0].code, ResponseCode.SYSTEM_ERROR);
    assert.equal(ch.written[0].opaque, 8);
    assert.match(ch.written[0].remark ?? '', /frame too large/);
  });

  test('a later registration replaces the earlier handler', () => {
    const d = new RequestDispatcher({ logger: createLogger('test') });
    d.registerHandler(5, (req) => RemotingCommand.responseTo(req, 0, 'old'));
    d.registerHandler(5, (req) => RemotingCommand.responseTo(req, 0, 'new'));
    const ch = fakeChannel();
    d.dispatch(new RemotingCommand({ code: 5 }), ch);
    assert.equal(ch.written[0].remark, 'new');
  });
});
