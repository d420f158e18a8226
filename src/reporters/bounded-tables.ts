/**
 * results.json keeps the director's connection tables bounded: a table of a million connections
 * would make the file (and the memory to write it) grow with every connection. Up to SAMPLE entries
 * stay as read; beyond that the file keeps the first SAMPLE entries and counts of the whole table per
 * state and per destination, and says so. The checks saw the whole table; only the record is cut.
 */
import type { ConnectionEntry, DirectorSnapshot } from '../director/model.js';
import { SNAPSHOT_ENTRIES, type LabSnapshot } from '../lab/lab.js';
import type { DirectorReadings } from '../model/plugin.js';

export const TABLE_SAMPLE = SNAPSHOT_ENTRIES;

export interface TableCounts {
  entries: number;
  templates: number;
  byState: Record<string, number>;
  /** Entries per destination (`address:port` of the real server). */
  byDestination: Record<string, number>;
  /** How many entries `connections` keeps: the first ones, in the director's order. */
  sampled: number;
}

export function tableCounts(entries: readonly ConnectionEntry[]): TableCounts {
  const byState: Record<string, number> = {};
  const byDestination: Record<string, number> = {};
  let templates = 0;
  for (const e of entries) {
    if (e.template) templates++;
    byState[e.state] = (byState[e.state] ?? 0) + 1;
    const d = `${e.destination.address}:${e.destination.port}`;
    byDestination[d] = (byDestination[d] ?? 0) + 1;
  }
  return { entries: entries.length, templates, byState, byDestination, sampled: Math.min(entries.length, TABLE_SAMPLE) };
}

function boundedSnapshot(s: DirectorSnapshot | null): (DirectorSnapshot & { connectionTable?: TableCounts }) | null {
  if (s === null || s.connections === null || s.connections.length <= TABLE_SAMPLE) return s;
  return { ...s, connections: s.connections.slice(0, TABLE_SAMPLE), connectionTable: tableCounts(s.connections) };
}

export function boundedReadings(r: DirectorReadings): DirectorReadings {
  return { before: boundedSnapshot(r.before), after: boundedSnapshot(r.after) };
}

/**
 * The lab's `ipvsadm -Lcn` text (two header lines, one line per entry) and schedule history, cut alike
 * (the embedded lab's text comes cut already, with `connectionLines`; the kernel lab's whole).
 */
export function boundedLab(lab: LabSnapshot | null): (LabSnapshot & { historyRecords?: number }) | null {
  if (lab === null) return null;
  const lines = lab.connectionLines === undefined ? lab.connections.split('\n') : [];
  const entries = lines.length - 3;
  const cutTable = entries > TABLE_SAMPLE;
  const cutHistory = lab.history.length > TABLE_SAMPLE;
  if (!cutTable && !cutHistory) return lab;
  return {
    ...lab,
    ...(cutTable ? { connections: `${lines.slice(0, TABLE_SAMPLE + 2).join('\n')}\n`, connectionLines: entries } : {}),
    ...(cutHistory ? { history: lab.history.slice(0, TABLE_SAMPLE), historyRecords: lab.history.length } : {}),
  };
}
