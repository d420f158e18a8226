/**
 * connections: every connection through the VIP succeeds and names its real server. Added to every
 * suite unless the suite lists it with its own options, because refused, reset or silent
 * connections must never pass a run quietly. When the lab keeps the director's connection table
 * (the kernel lab: `ipvsadm -Lcn`), each connection must also have gone where the director says it
 * sent it: a disagreement means the harness misidentified servers or the director is not what it seems.
 */
import { z } from 'zod';
import type { ConnectionTableCheck } from '../src/lab/lab.js';
import { defineCheck } from '../src/model/plugin.js';
import type { VerdictExample } from '../src/model/verdict.js';

function tableSeen(t: ConnectionTableCheck): string {
  const aside = [t.missing > 0 ? `${t.missing} no longer listed` : '', t.withoutPort > 0 ? `${t.withoutPort} without a client port` : ''].filter(Boolean);
  return `director's connection table: ${t.agreed} agree, ${t.disagreed} disagree${aside.length > 0 ? ` (${aside.join(', ')})` : ''}`;
}

function tableExamples(t: ConnectionTableCheck): VerdictExample[] {
  return t.examples.map((e) => ({ client: e.client, detail: `named ${e.observed ?? 'no server'}, but the director's table sent it to ${e.table}` }));
}

export default defineCheck({
  name: 'connections',
  description: "every connection succeeds and is identified (up to maxFailed failures allowed), on the server the director's table names",
  options: z.strictObject({ maxFailed: z.int().min(0).default(0) }),
  create(options) {
    return {
      verdict({ observations, lab }) {
        const failed = observations.filter((o) => o.error !== null);
        const byCode = new Map<string, number>();
        for (const o of failed) byCode.set(o.error!.code, (byCode.get(o.error!.code) ?? 0) + 1);
        const reasons = [...byCode].map(([code, n]) => `${code} x${n}`).join(', ');
        const table = lab?.connectionTable;
        // maxFailed tolerates some failures; with none succeeded there is no evidence of a working service.
        const noneSucceeded = observations.length > 0 && failed.length === observations.length;
        const counts =
          observations.length === 0
            ? 'no connection was made'
            : `${failed.length} of ${observations.length} failed${reasons ? ` (${reasons})` : ''}${noneSucceeded ? ': none succeeded, so nothing was judged' : ''}`;
        return {
          pass: observations.length > 0 && !noneSucceeded && failed.length <= options.maxFailed && (table?.disagreed ?? 0) === 0,
          expected: `at least one identified connection, at most ${options.maxFailed} failed${table ? ", and every connection on the real server the director's table names" : ''}`,
          seen: table ? `${counts}; ${tableSeen(table)}` : counts,
          examples: [
            ...(table ? tableExamples(table) : []),
            ...failed.slice(0, 5).map((o) => ({
              client: `${o.client.address}:${o.client.port ?? '?'}`,
              detail: `${o.probe} to ${o.target.address}:${o.target.port}${o.realServer ? ` via ${o.realServer}` : ''}: ${o.error!.code}: ${o.error!.message}`,
            })),
          ],
          data: { failed: failed.length, total: observations.length, byCode: Object.fromEntries(byCode), ...(table ? { connectionTable: table } : {}) },
        };
      },
    };
  },
});
