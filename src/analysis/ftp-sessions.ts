/**
 * What went wrong in one FTP session, in the operator's terms: a data connection that reached
 * another real server than the control connection (named from the director's own scheduling record
 * when the lab keeps one), was refused (no virtual service covers its port), or failed otherwise.
 */
import type { LabSnapshot, ScheduleRecord } from '../lab/lab.js';
import type { DataConnection, Observation } from '../model/observation.js';

export type Cause = 'session' | 'other-server' | 'refused' | 'data-failed' | 'mismatch';

export interface SessionProblem {
  cause: Cause;
  detail: string;
}

export function sessionProblems(o: Observation, lab: LabSnapshot | null): SessionProblem[] {
  const decisions = new Map<string, ScheduleRecord>((lab?.history ?? []).map((r) => [r.client, r]));
  // A session that failed early may not have named its server; the director's record still does.
  const control = o.realServer ?? decisions.get(`${o.client.address}:${o.client.port ?? '?'}`)?.realServer ?? null;
  const problems: SessionProblem[] = [];
  for (const d of o.data ?? []) {
    const problem = dataProblem(control, d, decisions.get(`${d.client.address}:${d.client.port ?? '?'}`));
    if (problem !== null) problems.push(problem);
  }
  if (problems.length === 0 && o.error !== null) {
    problems.push({ cause: 'session', detail: `session failed before its transfers: ${o.error.code}: ${o.error.message}` });
  }
  return problems;
}

function dataProblem(control: string | null, d: DataConnection, decision: ScheduleRecord | undefined): SessionProblem | null {
  const where = `${d.command} data connection (${d.mode}) to ${d.server.address ?? '?'}:${d.server.port ?? '?'}`;
  if (control !== null && decision?.realServer != null && decision.realServer !== control) {
    return {
      cause: 'other-server',
      detail: `${where} reached another real server, ${decision.realServer} (director service ${decision.service}), while control went to ${control}: the data port does not share the control port's persistence template`,
    };
  }
  if (control !== null && d.error === null && d.realServer !== null && d.realServer !== control) {
    return { cause: 'other-server', detail: `${where} reached another real server, ${d.realServer}, while control went to ${control}` };
  }
  if (d.error === null) return null;
  if (d.error.code === 'TRANSFER_MISMATCH') return { cause: 'mismatch', detail: `${where}: ${d.error.message}` };
  if (d.error.code === 'ECONNREFUSED' || (decision !== undefined && decision.realServer === null)) {
    return {
      cause: 'refused',
      detail: `${where} was refused: no virtual service covers that port (is the passive range in the fwmark, or is the FTP service persistent?): ${d.error.message}`,
    };
  }
  const via = d.realServer ?? control ?? '?';
  return { cause: 'data-failed', detail: `${where} via ${via} failed after ${d.bytes} bytes: ${d.error.code}: ${d.error.message}` };
}
