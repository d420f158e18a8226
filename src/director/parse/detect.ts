/**
 * Which output a text is, from its first lines: each format opens with a line of its own (a title,
 * a command letter, a key), so no content is guessed at.
 */
import { listVariant } from './ipvsadm-list.js';

export type DirectorFormat =
  | 'ipvsadm-save'
  | 'ipvsadm-list'
  | 'ipvsadm-connections'
  | 'ipvsadm-timeout'
  | 'proc-ip_vs'
  | 'proc-ip_vs_conn'
  | 'proc-ip_vs_stats'
  | 'sysctl';

const PROC_DESTS = '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn';

export function detectFormat(text: string): DirectorFormat | null {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const first = lines[0]?.trim() ?? '';
  if (/^(-A|-a|--add-service|--add-server)(\s|$)/.test(first)) return 'ipvsadm-save';
  if (first.startsWith('IPVS connection entries')) return 'ipvsadm-connections';
  if (first.startsWith('Pro FromIP')) return 'proc-ip_vs_conn';
  if (first.startsWith('Total Incoming')) return 'proc-ip_vs_stats';
  if (first.startsWith('Timeout (tcp tcpfin udp):')) return 'ipvsadm-timeout';
  if (first.startsWith('net.ipv4.vs.')) return 'sysctl';
  // /proc/net/ip_vs and ipvsadm -L share the first two lines; the kernel's dest title is unpadded.
  if (lines[2]?.trimEnd() === PROC_DESTS && /^IP Virtual Server version/.test(first)) return 'proc-ip_vs';
  return listVariant(lines.slice(0, 3)) !== null ? 'ipvsadm-list' : null;
}
