/**
 * The timeline, compactly, for a terminal: one row per real server, one cell per second. A cell is
 * the new connections that second, then `!n` for n failures and `~n` for n held sessions open; `.` is
 * a quiet second. The header marks each change's second with its number, listed underneath.
 */
import type { Timeline } from '../model/timeline.js';

/** Wider timelines are cut to their first seconds: a terminal row should not wrap. */
const MAX_SECONDS = 40;

export function formatTimeline(t: Timeline, indent = '  '): string {
  const shown = Math.min(t.seconds, MAX_SECONDS);
  const cells = t.servers.map((s) => {
    const r = t.rows[s]!;
    return Array.from({ length: shown }, (_, k) => {
      const n = r.newConnections[k]!;
      const f = r.failures[k]!;
      const open = r.sessionsOpen[k]!;
      const text = `${n > 0 || (f === 0 && open === 0) ? n : ''}${f > 0 ? `!${f}` : ''}${open > 0 ? `~${open}` : ''}`;
      return text === '0' ? '.' : text;
    });
  });
  const widths = Array.from({ length: shown }, (_, k) => Math.max(2, String(k).length, ...cells.map((row) => row[k]!.length)));
  const name = Math.max(6, ...t.servers.map((s) => s.length));
  const marks = new Map<number, number[]>();
  for (const c of t.changes) marks.set(c.second, [...(marks.get(c.second) ?? []), c.index + 1]);
  const line = (label: string, parts: string[]): string => `${indent}${label.padEnd(name)} ${parts.map((p, k) => p.padStart(widths[k]!)).join(' ')}`.trimEnd();
  const out = [
    `${indent}timeline, per second (new connections, !failures, ~sessions open)${t.seconds > shown ? `, first ${shown} of ${t.seconds} s` : ''}:`,
    line('second', widths.map((_, k) => String(k))),
    ...(marks.size > 0 ? [line('change', widths.map((_, k) => (marks.get(k) ?? []).join(',')))] : []),
    ...t.servers.map((s, i) => line(s, cells[i]!)),
    ...t.changes.map((c) => `${indent}  (${c.index + 1}) ${(c.atMs / 1000).toFixed(2)} s ${c.label}${c.failed ? ' FAILED' : ''}`),
  ];
  return `${out.join('\n')}\n`;
}
