// mqadmin resetOffsetByTime: move a consumer group's offsets on a topic to a point in time (online consumers are told
// by the broker; offline groups are reset directly), or set one queue's offset with -b/-q/-o.
import type { MqadminCommand } from '../command.ts';
import { addrArg, boolArg, intArg, nonNegativeIntArg, optBool, optNumber, optString, reqString, timestampArg } from '../flags.ts';
import { emit, formatTable } from '../output.ts';
import { ERROR_CODES, RocketMQError } from '../../common/errors.ts';
import { RemotingCommand } from '../../remoting/protocol/remoting-command.ts';
import { RequestCode } from '../../remoting/protocol/request-code.ts';
import { ResponseCode } from '../../remoting/protocol/response-code.ts';
import { AdminUpdateConsumerOffsetRequestHeader, ResetOffsetRequestHeader } from '../../remoting/protocol/headers/admin-headers.ts';
import type { AdminClient } from '../../client/admin/admin-client.ts';

async function resetOneQueue(admin: AdminClient, o: { topic: string; group: string; brokerAddr: string; queueId: number; offset: number }): Promise<'broker' | 'offline'> {
  const instance = admin.clientInstance;
  if (instance === undefined) throw new RocketMQError(ERROR_CODES.NOT_RUNNING, 'admin client is not started');
  const ext = ResetOffsetRequestHeader.encode({ topic: o.topic, group: o.group, queueId: o.queueId, offset: o.offset, timestamp: -1, isForce: true });
  const res = await instance.invoke(o.brokerAddr, RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ext), 5000);
  if (res.code === ResponseCode.SUCCESS) return 'broker';
  if (res.code !== ResponseCode.CONSUMER_NOT_ONLINE) {
    throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `reset offset on ${o.brokerAddr} failed: ${res.remark ?? ''}`, { responseCode: res.code });
  }
  const upd = AdminUpdateConsumerOffsetRequestHeader.encode({ consumerGroup: o.group, topic: o.topic, queueId: o.queueId, commitOffset: o.offset });
  const r2 = await instance.invoke(o.brokerAddr, RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET, upd), 5000);
  if (r2.code !== ResponseCode.SUCCESS) {
    throw new RocketMQError(ERROR_CODES.BROKER_RESPONSE, `update offset on ${o.brokerAddr} failed: ${r2.remark ?? ''}`, { responseCode: r2.code });
  }
  return 'offline';
}

export const resetOffsetByTimeCommand: MqadminCommand = {
  name: 'resetOffsetByTime',
  description: 'Reset consumer offset by timestamp (without client restart)',
  options: [
    { flags: '-g, --group <group>', description: 'set the consumer group', required: true },
    { flags: '-t, --topic <topic>', description: 'set the topic', required: true },
    { flags: '-s, --timestamp <time>', description: 'set the timestamp [now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]; -1 = the end', parse: (v) => timestampArg(v) },
    { flags: '-f, --force <bool>', description: 'also move offsets forward (default true)', parse: boolArg },
    { flags: '-b, --broker <addr>', description: 'broker addr (with -q and -o)', parse: addrArg },
    { flags: '-q, --queue <queueId>', description: 'queue id (with -b and -o)', parse: nonNegativeIntArg },
    { flags: '-o, --offset <offset>', description: 'expected queue offset (with -b and -q)', parse: intArg },
    { flags: '-c, --cluster <cluster>', description: 'accepted for compatibility; the route decides' },
  ],
  async run(ctx) {
    const o = ctx.opts;
    const group = reqString(o, 'group', '-g');
    const topic = reqString(o, 'topic', '-t');
    const broker = optString(o, 'broker');
    const queueId = optNumber(o, 'queue');
    const offset = optNumber(o, 'offset');
    const admin = await ctx.admin();
    if (broker !== undefined || queueId !== undefined || offset !== undefined) {
      if (broker === undefined || queueId === undefined || offset === undefined) {
        throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, 'give -b (broker), -q (queue) and -o (offset) together');
      }
      await admin.topicRoute(topic);
      const via = await resetOneQueue(admin, { topic, group, brokerAddr: broker, queueId, offset });
      emit(ctx, { topic, group, brokerAddr: broker, queueId, resetOffset: offset, via }, () => `reset consumer offset to ${offset}\n`);
      return;
    }
    const timestamp = optNumber(o, 'timestamp');
    if (timestamp === undefined) throw new RocketMQError(ERROR_CODES.INVALID_ARGUMENT, "option '-s, --timestamp <time>' is required");
    const rows = await admin.resetOffsetByTime({ topic, group, timestamp, force: optBool(o, 'force') ?? true });
    emit(ctx, { topic, group, timestamp, rows }, () =>
      `reset consumer offset by specified consumerGroup[${group}], topic[${topic}], timestamp(string)[${timestamp}]\n` +
      formatTable(['#brokerName', '#queueId', '#offset', '#via'], rows.map((r) => [r.brokerName, r.queueId, r.resetOffset, r.via])),
    );
  },
};
