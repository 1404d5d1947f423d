// mqadmin updateTopic: create or update a topic on one broker (-b) or every master of a cluster (-c).
import type { MqadminCommand } from '../command.ts';
import { boolArg, brokerOrCluster, optBool, optNumber, optString, permArg, positiveIntArg, reqString } from '../flags.ts';
import { emit, formatKeyValues } from '../output.ts';

/** "+a=b,+c=d,-e" → { "+a": "b", "+c": "d", "-e": "" } (Java AttributeParser). */
export function parseAttributes(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) out[p] = '';
    else out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

export const updateTopicCommand: MqadminCommand = {
  name: 'updateTopic',
  description: 'Update or create topic',
  options: [
    { flags: '-b, --brokerAddr <addr>', description: 'create topic to which broker' },
    { flags: '-c, --clusterName <cluster>', description: 'create topic to which cluster' },
    { flags: '-t, --topic <topic>', description: 'topic name', required: true },
    { flags: '-r, --readQueueNums <n>', description: 'set read queue nums (default 8)', parse: positiveIntArg },
    { flags: '-w, --writeQueueNums <n>', description: 'set write queue nums (default 8)', parse: positiveIntArg },
    { flags: '-p, --perm <perm>', description: "set topic's permission (2|4|6), 2:W 4:R 6:RW (default 6)", parse: permArg },
    { flags: '-o, --order <bool>', description: "set topic's order (true|false)", parse: boolArg },
    { flags: '-u, --unit <bool>', description: 'is unit topic (true|false)', parse: boolArg },
    { flags: '-s, --hasUnitSub <bool>', description: 'has unit sub (true|false)', parse: boolArg },
    { flags: '-a, --attributes <attrs>', description: 'attribute(+a=b,+c=d,-e)' },
  ],
  async run(ctx) {
    const o = ctx.opts;
    const target = brokerOrCluster(o);
    const topic = reqString(o, 'topic', '-t');
    const readQueueNums = optNumber(o, 'readQueueNums') ?? 8;
    const writeQueueNums = optNumber(o, 'writeQueueNums') ?? 8;
    const perm = optNumber(o, 'perm') ?? 6;
    const order = optBool(o, 'order') ?? false;
    const topicSysFlag = (optBool(o, 'unit') === true ? 1 : 0) | (optBool(o, 'hasUnitSub') === true ? 2 : 0);
    const admin = await ctx.admin();
    const res = await admin.createTopic({
      ...target,
      topic,
      readQueueNums,
      writeQueueNums,
      perm,
      order,
      topicSysFlag,
      attributes: parseAttributes(optString(o, 'attributes')),
    });
    const config = { topicName: topic, readQueueNums, writeQueueNums, perm, order, topicSysFlag };
    emit(ctx, { ...res, topicConfig: config }, () => {
      let s = res.brokerAddrs.map((a) => `create topic to ${a} success.\n`).join('');
      if (res.orderConf !== undefined) s += `set cluster orderConf. isOrder=true, orderConf=[${res.orderConf}]\n`;
      return s + formatKeyValues(Object.entries(config));
    });
  },
};
