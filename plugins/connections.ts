/**
 * connections: every connection through the VIP succeeds and names its real server. Added to every
 * suite unless the suite lists it with its own options, because refused, reset or silent
 * connections must never pass a run quietly. When a director was read (a lab, or `--director`), the
 * clients' view is cross-checked with the director's own: each connection must be on the real
 * server the director's connection table names, each server's connection counter must have grown by
 * at least the connections the harness made there, and each client group's persistence template
 * must point where its latest connection went. Traffic from other clients is reported, not failed.
 */
import { z } from 'zod';
import { reconcileCounters, type CounterReconciliation } from '../src/director/counter-reconcile.js';
import { serverNamer } from '../src/director/server-names.js';
import { suiteReach } from '../src/director/suite-reach.js';
import { directorConfigFor } from '../src/lab/director-config.js';
import { tableAgreement, type TableAgreement } from '../src/director/table-agreement.js';
import { GroupLatest, reconcileTemplates, type TemplateReconciliation } from '../src/director/template-reconcile.js';
import type { Observation } from '../src/model/observation.js';
import { defineCheck, type VerdictInput } from '../src/model/plugin.js';
import type { VerdictExample } from '../src/model/verdict.js';

interface CrossChecks {
  table: TableAgreement | null;
  counters: CounterReconciliation | null;
  templates: TemplateReconciliation | null;
}

function crossChecks({ suite, legs, director, window }: VerdictInput, groups: GroupLatest): CrossChecks {
  const { before, after } = director;
  if (after === null) return { table: null, counters: null, templates: null };
  // A server the window added answers to the name its `add:` gave it, which the director does not know.
  const added = (window?.changes ?? []).flatMap((c) => (c.action.kind === 'add' ? [{ name: c.action.server, address: c.action.address }] : []));
  const nameOf = serverNamer([...suite.service.realServers, ...added], after);
  return {
    table: after.connections === null ? null : tableAgreement(legs.legs(), after.connections, nameOf),
    counters: before === null ? null : reconcileCounters(before, after, () => legs.legs(), suite.vip, nameOf, suiteReach(directorConfigFor(suite.vip, suite.service), suite.vip)),
    templates: after.connections === null ? null : reconcileTemplates(suite, after.connections, groups, nameOf),
  };
}

function tableSeen(t: TableAgreement): string {
  const aside = [t.missing > 0 ? `${t.missing} no longer listed` : '', t.withoutPort > 0 ? `${t.withoutPort} without a client port` : ''].filter(Boolean);
  return `director's connection table: ${t.agreed} agree, ${t.disagreed} disagree${aside.length > 0 ? ` (${aside.join(', ')})` : ''}`;
}

function countersSeen(c: CounterReconciliation): string {
  if (!c.judged) return `counters not compared: ${c.reason}`;
  const servers = Object.entries(c.perServer).map(([name, n]) => `${name} ${n.director}/${n.harness}`);
  const short = c.short.length > 0 ? `; fewer than the harness made on ${c.short.join(', ')}` : '';
  const removed = c.removed.length > 0 ? `; ${c.removed.join(', ')} left the table during the traffic (not compared)` : '';
  const others = c.others > 0 ? `; ${c.others} more than the harness's identified connections (other clients, or failed ones of ours)` : '';
  const reused = c.reused > 0 ? `; ${c.reused} reused a client port whose entry the director may still have held (conn_reuse_mode: maybe not counted)` : '';
  return `director's connection counters (counted/harness): ${servers.join(', ')}${short}${removed}${others}${reused}`;
}

function templatesSeen(t: TemplateReconciliation): string {
  const servers = Object.entries(t.perServer).map(([name, n]) => `${name} ${n.templates}/${n.clients}`);
  const aside = [t.expired > 0 ? `${t.expired} of the harness's client groups have none left` : '', t.others > 0 ? `${t.others} belong to other clients` : ''].filter(Boolean);
  return `templates per server (templates/client groups): ${servers.join(', ')}, ${t.disagreed.length} point elsewhere${aside.length > 0 ? ` (${aside.join(', ')})` : ''}`;
}

function examples(x: CrossChecks): VerdictExample[] {
  return [
    ...(x.table?.examples ?? []).map((e) => ({ client: e.client, detail: `named ${e.observed ?? 'no server'}, but the director's table sent it to ${e.table}` })),
    ...(x.counters?.judged === true ? x.counters.short : []).map((name) => {
      const n = (x.counters as Extract<CounterReconciliation, { judged: true }>).perServer[name]!;
      return { client: '(all)', detail: `${name}: the director counted ${n.director} new connection(s), the harness made ${n.harness} there` };
    }),
    ...(x.templates?.disagreed ?? []).slice(0, 5).map((d) => ({ client: d.group, detail: `latest connection on ${d.observed}, but its template points to ${d.table.join(', ')}` })),
  ];
}

export default defineCheck({
  name: 'connections',
  description: "every connection succeeds and is identified (up to maxFailed failures allowed), and agrees with the director's table, counters and templates",
  options: z.strictObject({ maxFailed: z.int().min(0).default(0) }),
  create(options, suite) {
    // Counts, the first failures and each client group's latest connection: nothing per connection.
    let total = 0;
    let failed = 0;
    const byCode = new Map<string, number>();
    const firstFailed: Observation[] = [];
    const groups = new GroupLatest(suite);
    return {
      observation(o) {
        total++;
        groups.add(o);
        if (o.error === null) return;
        failed++;
        byCode.set(o.error.code, (byCode.get(o.error.code) ?? 0) + 1);
        if (firstFailed.length < 5) firstFailed.push(o);
      },
      verdict(input) {
        const reasons = [...byCode].map(([code, n]) => `${code} x${n}`).join(', ');
        const x = crossChecks(input, groups);
        // maxFailed tolerates some failures; with none succeeded there is no evidence of a working service.
        const noneSucceeded = total > 0 && failed === total;
        const counts =
          total === 0
            ? 'no connection was made'
            : `${failed} of ${total} failed${reasons ? ` (${reasons})` : ''}${noneSucceeded ? ': none succeeded, so nothing was judged' : ''}`;
        // Entries outlive their connection (FIN_WAIT, TIME_WAIT: 120 s by default): a table just read that
        // lists none of them is not the table of the director the traffic went through.
        const unseen = x.table !== null && x.table.agreed === 0 && x.table.disagreed === 0 && x.table.missing > 0;
        const agrees =
          !unseen && (x.table?.disagreed ?? 0) === 0 && (x.counters?.judged !== true || x.counters.short.length === 0) && (x.templates?.disagreed.length ?? 0) === 0;
        return {
          pass: total > 0 && !noneSucceeded && failed <= options.maxFailed && agrees,
          expected:
            `at least one identified connection, at most ${options.maxFailed} failed` +
            (x.table ? ", and every connection on the real server the director's table names, counted there, under its group's template" : ''),
          seen: [
            counts,
            x.table && tableSeen(x.table),
            unseen && "the director's table lists none of the harness's connections: the director read is not the one the traffic went through (another keepalived node?), or its entries expired before the reading",
            x.counters && countersSeen(x.counters),
            x.templates && templatesSeen(x.templates),
          ]
            .filter(Boolean)
            .join('; '),
          examples: [
            ...examples(x),
            ...firstFailed.map((o) => ({
              client: `${o.client.address}:${o.client.port ?? '?'}`,
              detail: `${o.probe} to ${o.target.address}:${o.target.port}${o.realServer ? ` via ${o.realServer}` : ''}: ${o.error!.code}: ${o.error!.message}`,
            })),
          ],
          data: {
            failed,
            total,
            byCode: Object.fromEntries(byCode),
            ...(x.table ? { connectionTable: x.table } : {}),
            ...(x.counters ? { counters: x.counters } : {}),
            ...(x.templates ? { templates: x.templates } : {}),
          },
        };
      },
    };
  },
});
