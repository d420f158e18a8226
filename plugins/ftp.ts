/**
 * ftp: in each mode the suite's FTP probes use (passive, active), sessions log in and their LIST,
 * RETR and STOR succeed, every data connection reaches the control connection's real server, and
 * transfers are byte-exact (RETR against SIZE, STOR read back). Failures name their cause.
 */
import { z } from 'zod';
import { sessionProblems, type Cause } from '../src/analysis/ftp-sessions.js';
import { defineCheck } from '../src/model/plugin.js';
import type { VerdictExample } from '../src/model/verdict.js';
import { ObservationList } from '../src/analysis/observation-list.js';

export default defineCheck({
  name: 'ftp',
  description: 'FTP sessions succeed in each mode, with data connections on the control connection\'s real server and byte-exact transfers',
  options: z.strictObject({}),
  create(_options, suite) {
    const modes = [...new Set(suite.probes.flatMap((p) => (p.type === 'ftp' ? [p.mode] : [])))];
    const expected = `FTP sessions in ${modes.join(' and ') || 'some'} mode succeed: login and transfers, data connections on the control connection's real server, byte-exact`;
    const kept = new ObservationList();
    return {
      observation: kept.add,
      verdict({ lab }) {
        const observations = kept.all;
        if (modes.length === 0) return { pass: false, expected, seen: 'the suite has no FTP probe' };
        const probeMode = new Map(suite.probes.flatMap((p) => (p.type === 'ftp' ? [[p.name, p.mode] as const] : [])));
        const perMode = new Map(modes.map((m) => [m, { sessions: 0, failed: 0, dataConnections: 0 }]));
        const causes = new Map<Cause, number>();
        const examples: VerdictExample[] = [];
        for (const o of observations) {
          const mode = probeMode.get(o.probe);
          const counts = mode === undefined ? undefined : perMode.get(mode);
          if (counts === undefined) continue;
          counts.sessions++;
          counts.dataConnections += o.data?.length ?? 0;
          const problems = sessionProblems(o, lab);
          if (problems.length > 0) counts.failed++;
          for (const p of problems) causes.set(p.cause, (causes.get(p.cause) ?? 0) + 1);
          if (problems[0] !== undefined && examples.length < 5) {
            examples.push({ client: `${o.client.address}:${o.client.port ?? '?'}`, detail: `${o.probe}: ${problems[0].detail}` });
          }
        }
        const idle = modes.filter((m) => perMode.get(m)!.sessions === 0);
        const failed = [...perMode.values()].reduce((n, c) => n + c.failed, 0);
        const byMode = [...perMode].map(([m, c]) => `${m}: ${c.sessions - c.failed}/${c.sessions} sessions clean (${c.dataConnections} data connections)`);
        const why = [...causes].map(([c, n]) => `${CAUSES[c]} x${n}`).join(', ');
        return {
          pass: failed === 0 && idle.length === 0,
          expected,
          seen: `${byMode.join('; ')}${why ? `; ${why}` : ''}${idle.length > 0 ? `; no session in ${idle.join(', ')} mode` : ''}`,
          examples,
          data: { modes: Object.fromEntries(perMode), causes: Object.fromEntries(causes) },
        };
      },
    };
  },
});

const CAUSES: Record<Cause, string> = {
  'other-server': 'data connection reached another real server',
  refused: 'data connection refused',
  'data-failed': 'data connection failed',
  mismatch: 'transfer not byte-exact',
  session: 'session failed',
};
