// Output of mqadmin commands: aligned text tables (Java prints `%-32s`-style columns; we size columns to their
// content), key/value listings, and `--json` documents. Message views are turned into JSON-friendly objects here.
import type { MessageView } from '../client/producer/message-view.ts';
import type { CommandContext } from './command.ts';

export type Cell = string | number | boolean | undefined;

/** Left-aligned columns separated by two spaces; header row first; no trailing spaces. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const text = rows.map((r) => headers.map((_, i) => cellText(r[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...text.map(line)].join('\n') + '\n';
}

function cellText(c: Cell): string {
  return c === undefined ? '' : String(c);
}

/** `key: value` lines with the keys padded to one width. */
export function formatKeyValues(entries: ReadonlyArray<readonly [string, Cell]>): string {
  const w = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(w)}  : ${cellText(v)}`.trimEnd()).join('\n') + (entries.length > 0 ? '\n' : '');
}

/** `--json`: `data` as one JSON document; otherwise the text `render()` makes. */
export function emit(ctx: CommandContext, data: unknown, render: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(data, null, 2) + '\n' : render());
}

/** Epoch ms as local "yyyy-MM-dd HH:mm:ss,SSS" (Java UtilAll.timeMillisToHumanString2); 0 and below print as-is. */
export function humanTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return String(ms);
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

/** A message as JSON: every field, the body as UTF-8 text (and base64 when it is not valid UTF-8). */
export function messageJson(m: MessageView): Record<string, unknown> {
  const { body, ...rest } = m;
  const text = body.toString('utf8');
  const valid = Buffer.from(text, 'utf8').equals(body);
  return valid ? { ...rest, body: text } : { ...rest, body: text, bodyBase64: body.toString('base64') };
}

/** Java's queryMsgById/printMsg style detail block of one message. */
export function formatMessage(m: MessageView, printBody = true): string {
  const entries: Array<[string, Cell]> = [
    ['OffsetID', m.offsetMsgId],
    ['Topic', m.topic],
    ['Tags', m.tags === undefined ? '' : `[${m.tags}]`],
    ['Keys', `[${m.keys.join(', ')}]`],
    ['Queue ID', m.queueId],
    ['Queue Offset', m.queueOffset],
    ['CommitLog Offset', m.commitLogOffset],
    ['Reconsume Times', m.reconsumeTimes],
    ['Born Timestamp', humanTime(m.bornTimestamp)],
    ['Store Timestamp', humanTime(m.storeTimestamp)],
    ['Born Host', m.bornHost],
    ['Store Host', m.storeHost],
    ['System Flag', m.sysFlag],
    ['Properties', JSON.stringify(m.properties)],
    ['Message ID', m.msgId],
  ];
  if (printBody) entries.push(['Message Body', m.body.toString('utf8')]);
  return formatKeyValues(entries);
}
