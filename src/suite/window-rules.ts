/**
 * Checks a change window against the rest of the suite, before any traffic: every server a change
 * names exists at that moment (suite servers, plus those `add`ed earlier, minus those removed), every
 * change falls inside the traffic's time bound, and sessions and traffic modes name probes they can
 * use. Each problem carries the path the loader turns into file:line:column.
 */
import { changeServer, type PlannedChange } from './changes.js';
import type { SessionSpec } from './sessions.js';
import { trafficBoundSeconds, type TRAFFIC_MODES } from './traffic-modes.js';

export interface WindowProblem {
  path: (string | number)[];
  message: string;
}

interface WindowSuite {
  service: { persistence: unknown; realServers: ReadonlyArray<{ name: string; address: string }> };
  probes: ReadonlyArray<{ name: string; type: string; identify?: unknown; transfers?: { stor?: number | undefined; retr?: string | undefined } }>;
  traffic: { mode: (typeof TRAFFIC_MODES)[number]; durationSeconds?: number | undefined; maxSeconds: number; probe?: string | undefined };
  sessions?: readonly SessionSpec[] | undefined;
  changes?: readonly PlannedChange[] | undefined;
}

/** Probe types a session can be held with (src/probes/held-session.ts). */
const HELD_TYPES: ReadonlySet<string> = new Set(['http', 'telnet', 'ftp']);

export function windowProblems(s: WindowSuite): WindowProblem[] {
  return [...trafficProblems(s), ...sessionProblems(s), ...changeProblems(s)];
}

function trafficProblems(s: WindowSuite): WindowProblem[] {
  const out: WindowProblem[] = [];
  const t = s.traffic;
  if (t.mode === 'continuous' && t.durationSeconds === undefined) {
    out.push({ path: ['traffic', 'durationSeconds'], message: 'a duration in seconds for continuous traffic, e.g. 6' });
  }
  if (t.mode === 'gaps' && s.service.persistence === null) {
    out.push({ path: ['traffic', 'mode'], message: 'gaps traffic only for a persistent service (it measures template lifetimes)' });
  }
  if (t.probe !== undefined && !s.probes.some((p) => p.name === t.probe)) {
    out.push({ path: ['traffic', 'probe'], message: `the name of a probe (${s.probes.map((p) => p.name).join(', ')})` });
  }
  return out;
}

function sessionProblems(s: WindowSuite): WindowProblem[] {
  const out: WindowProblem[] = [];
  (s.sessions ?? []).forEach((session, i) => {
    const probe = s.probes.find((p) => p.name === session.probe);
    const usable = s.probes.filter((p) => HELD_TYPES.has(p.type)).map((p) => p.name);
    if (probe === undefined || !HELD_TYPES.has(probe.type)) {
      out.push({ path: ['sessions', i, 'probe'], message: `the name of an HTTP, Telnet or FTP probe (${usable.join(', ') || 'none'})` });
    } else if (probe.type === 'telnet' && (probe.identify as { command?: string }).command === undefined) {
      out.push({ path: ['sessions', i, 'probe'], message: 'a Telnet probe that identifies with a command (identify: { command: hostname }): a held shell is probed by running it' });
    } else if (probe.type === 'ftp' && probe.transfers?.stor === undefined && probe.transfers?.retr === undefined) {
      out.push({ path: ['sessions', i, 'probe'], message: 'an FTP probe with a file to download held across the changes (transfers: { stor: 262144 } or transfers: { retr: FILE })' });
    }
    if (session.bytesPerSecond !== undefined && probe !== undefined && probe.type !== 'ftp') {
      out.push({ path: ['sessions', i, 'bytesPerSecond'], message: 'no bytesPerSecond: only an FTP session downloads at a pace' });
    }
  });
  return out;
}

function changeProblems(s: WindowSuite): WindowProblem[] {
  const out: WindowProblem[] = [];
  // The suite's own refinements run even when a change failed its schema: such a change has no action.
  const changes = (s.changes ?? []).filter((c) => typeof c?.action === 'object');
  const bound = trafficBoundSeconds(s.traffic);
  const known = new Map(s.service.realServers.map((rs) => [rs.name, rs.address]));
  const present = new Set(known.keys());
  const order = changes.map((c, i) => ({ c, i })).sort((a, b) => a.c.at - b.c.at || a.i - b.i);
  for (const { c, i } of order) {
    const at = (field: string): (string | number)[] => ['changes', i, field];
    if (c.at >= bound) {
      out.push({ path: at('at'), message: `a time inside the traffic (under ${bound} s: ${s.traffic.mode === 'continuous' ? 'durationSeconds' : 'maxSeconds'})` });
    }
    const a = c.action;
    const server = changeServer(a);
    if (a.kind === 'add') {
      const address = known.get(a.server);
      if (present.has(a.server)) out.push({ path: at('add'), message: `a server not in the service at ${c.at} s (${a.server} is)` });
      else if (address !== undefined && address !== a.address) out.push({ path: at('add'), message: `${a.server}'s address as before (${address})` });
      else if ([...known].some(([n, addr]) => addr === a.address && n !== a.server)) out.push({ path: at('add'), message: `an address no other server has (${a.address})` });
      known.set(a.server, a.address);
      present.add(a.server);
      continue;
    }
    if (server === null) continue;
    const field = a.kind;
    const where = a.kind === 'weight' ? [...at(field), 'server'] : at(field);
    if (!known.has(server)) {
      out.push({ path: where, message: `a real server of the suite (${[...known.keys()].join(', ')})` });
    } else if ((a.kind === 'weight' || a.kind === 'remove') && !present.has(server)) {
      out.push({ path: where, message: `a server still in the service at ${c.at} s (${server} was removed before)` });
    }
    if (a.kind === 'remove') present.delete(server);
  }
  return out;
}
