/**
 * The director parsers: every output of ipvsadm 1.31 and of /proc/net/ip_vs*, and `sysctl
 * net.ipv4.vs`, read into parts of the one director model. A line a parser cannot read is a
 * HarnessError naming the file and line (exit 11), never a crash.
 */
import { createDirectorConfigError } from '../../core/errors.js';
import { detectFormat, type DirectorFormat } from './detect.js';
import { parseIpvsadmConnections } from './ipvsadm-connections.js';
import { parseIpvsadmList } from './ipvsadm-list.js';
import { parseIpvsadmSaveText } from './ipvsadm-save.js';
import { parseIpvsadmTimeout } from './ipvsadm-timeout.js';
import { parseProcIpVs } from './proc-ip-vs.js';
import { parseProcIpVsConn } from './proc-ip-vs-conn.js';
import { parseProcIpVsStats } from './proc-ip-vs-stats.js';
import type { DirectorReading } from './reading.js';
import { parseSysctl } from './sysctl.js';

export { combineReadings } from './combine.js';
export { detectFormat, type DirectorFormat } from './detect.js';
export type { DirectorReading, ThresholdReading } from './reading.js';

const PARSERS: Readonly<Record<DirectorFormat, (text: string, file: string) => DirectorReading>> = {
  'ipvsadm-save': (text, file) => ({ config: parseIpvsadmSaveText(text, file).config }),
  'ipvsadm-list': parseIpvsadmList,
  'ipvsadm-connections': parseIpvsadmConnections,
  'ipvsadm-timeout': parseIpvsadmTimeout,
  'proc-ip_vs': parseProcIpVs,
  'proc-ip_vs_conn': parseProcIpVsConn,
  'proc-ip_vs_stats': parseProcIpVsStats,
  sysctl: parseSysctl,
};

/** The parts of a snapshot one text gives (a Partial<DirectorSnapshot>); the format is detected when not given. */
export function parseDirectorText(text: string, file: string, format?: DirectorFormat): DirectorReading {
  const chosen = format ?? detectFormat(text);
  if (chosen === null) {
    const first = Math.max(0, text.split('\n').findIndex((l) => l.trim() !== ''));
    throw createDirectorConfigError(
      file,
      first + 1,
      text.split('\n')[first] ?? '',
      'the first line of ipvsadm -S -n, ipvsadm -L (any listing), -Lcn or --timeout output, /proc/net/ip_vs, ip_vs_conn or ip_vs_stats, or sysctl net.ipv4.vs',
      'director output of a kind it could not tell',
    );
  }
  return { ...PARSERS[chosen](text, file), texts: { [file]: text } };
}
