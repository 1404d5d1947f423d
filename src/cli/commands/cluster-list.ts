// mqadmin clusterList: every broker of every cluster with its version and traffic (from GET_BROKER_RUNTIME_INFO).
import type { MqadminCommand } from '../command.ts';
import { optString } from '../flags.ts';
import { emit, formatTable } from '../output.ts';

export interface ClusterListRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version: string;
  /** putTps / getTransferredTps first figure; undefined when the broker gave no runtime info. */
  inTps: number | undefined;
  outTps: number | undefined;
  msgPutTotalTodayNow: number | undefined;
  msgGetTotalTodayNow: number | undefined;
  /** Why the runtime info is missing, when it is. */
  error?: string;
}

function firstNumber(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.trim().split(/\s+/)[0]);
  return Number.isFinite(n) ? n : undefined;
}

export const clusterListCommand: MqadminCommand = {
  name: 'clusterList',
  description: 'List cluster infos',
  options: [
    { flags: '-m, --moreStats', description: 'accepted for compatibility' },
    { flags: '-i, --interval <seconds>', description: 'accepted for compatibility (prints once)' },
    { flags: '-c, --clusterName <cluster>', description: 'which cluster' },
  ],
  async run(ctx) {
    const only = optString(ctx.opts, 'clusterName');
    const admin = await ctx.admin();
    const ci = await admin.clusterInfo();
    const rows: ClusterListRow[] = [];
    for (const cluster of Object.keys(ci.clusterAddrTable).sort()) {
      if (only !== undefined && cluster !== only) continue;
      for (const brokerName of [...ci.clusterAddrTable[cluster]].sort()) {
        const bd = ci.brokerAddrTable[brokerName];
        if (bd === undefined) continue;
        for (const [id, addr] of Object.entries(bd.brokerAddrs).sort(([a], [b]) => Number(a) - Number(b))) {
          const row: ClusterListRow = { clusterName: cluster, brokerName, brokerId: Number(id), addr, version: '', inTps: undefined, outTps: undefined, msgPutTotalTodayNow: undefined, msgGetTotalTodayNow: undefined };
          try {
            const kv = await admin.brokerRuntimeInfo(addr);
            row.version = kv.brokerVersionDesc ?? '';
            row.inTps = firstNumber(kv.putTps);
            row.outTps = firstNumber(kv.getTransferredTps);
            row.msgPutTotalTodayNow = firstNumber(kv.msgPutTotalTodayNow);
            row.msgGetTotalTodayNow = firstNumber(kv.msgGetTotalTodayNow);
          } catch (e) {
            row.error = e instanceof Error ? e.message : String(e);
          }
          rows.push(row);
        }
      }
    }
    if (only !== undefined && rows.length === 0 && !Object.hasOwn(ci.clusterAddrTable, only)) {
      ctx.io.err(`cluster "${only}" is not known to the name server\n`);
    }
    emit(ctx, { clusters: rows }, () =>
      formatTable(
        ['#Cluster Name', '#Broker Name', '#BID', '#Addr', '#Version', '#InTPS', '#OutTPS', '#InTotalToday', '#OutTotalToday'],
        rows.map((r) => [r.clusterName, r.brokerName, r.brokerId, r.addr, r.version, r.inTps?.toFixed(2), r.outTps?.toFixed(2), r.msgPutTotalTodayNow, r.msgGetTotalTodayNow]),
      ),
    );
  },
};
