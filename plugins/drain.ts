/**
 * drain: after a real server's weight goes to 0 (quiescent), no new template lands on it (no new
 * connection at all when the service is not persistent); clients whose template points at it stay
 * there while expire_quiescent_template=0 (the kernel default) and leave at their next connection when
 * it is 1; sessions in flight on it carry on; and it says how long until the server carried nothing.
 *
 * A client is taken as holding a live template on the drained server when its previous connection
 * went there less than the persistence timeout before (each new connection re-arms the template).
 */
import { z } from 'zod';
import { seconds, sysctlAt } from '../src/analysis/window-clients.js';
import { defineCheck } from '../src/model/plugin.js';
import type { VerdictExample } from '../src/model/verdict.js';
import { maskAddress } from '../src/net/ipv4.js';
import { ObservationList } from '../src/analysis/observation-list.js';

export default defineCheck({
  name: 'drain',
  description: 'a server drained to weight 0 takes no new clients, keeps or sheds its sticky ones as expire_quiescent_template says, and breaks no session',
  options: z.strictObject({
    /** The drained server; default: the first whose weight a change sets to 0. */
    server: z.string().optional(),
    /** What existing templates must do: as the sysctl in effect says (auto), or stated. */
    quiescentTemplates: z.enum(['auto', 'honoured', 'expired']).default('auto'),
  }),
  create(options, suite) {
    const kept = new ObservationList();
    return {
      observation: kept.add,
      verdict({ window }) {
        const observations = kept.all;
        const drain = window?.changes.find(
          (c) => c.effectiveMs !== null && c.action.kind === 'weight' && c.action.to === 0 && (options.server === undefined || c.action.server === options.server),
        );
        const expectedBase = 'after the drain, no new client on the drained server and every session on it intact';
        if (drain === undefined || drain.action.kind !== 'weight') {
          return { pass: false, expected: expectedBase, seen: `nothing to judge: no change set ${options.server ?? 'a server'}'s weight to 0 (add one under changes:)` };
        }
        const server = drain.action.server;
        const t = drain.effectiveMs!;
        const p = suite.service.persistence;
        const sysctl = sysctlAt(window, 'expire_quiescent_template', t, 0);
        const templates = options.quiescentTemplates === 'auto' ? (sysctl === 1 ? 'expired' : 'honoured') : options.quiescentTemplates;
        const expected = p
          ? `after ${server} went to weight 0, no new template on it; clients with a template on it ${templates === 'honoured' ? 'stay there' : 'move away at their next connection'} (expire_quiescent_template=${templates === 'honoured' ? 0 : 1}); no session on it broken`
          : `after ${server} went to weight 0, no new connection on it; no session on it broken`;
        const keyOf = (address: string): string => (p ? maskAddress(address, p.netmask) : address);

        const last = new Map<string, { server: string; startMs: number }>();
        const newOnDrained: VerdictExample[] = [];
        const leftEarly: VerdictExample[] = [];
        const stayedWrongly: VerdictExample[] = [];
        let stayed = 0;
        let moved = 0;
        let newElsewhere = 0;
        let after = 0;
        let lastOnDrainedMs: number | null = null;
        for (const o of [...observations].sort((a, b) => a.startMs - b.startMs)) {
          if (o.realServer === null) continue;
          const key = keyOf(o.client.address);
          const prior = last.get(key);
          last.set(key, { server: o.realServer, startMs: o.startMs });
          if (o.startMs < t) continue;
          after++;
          const sticky = p !== null && prior !== undefined && prior.server === server && o.startMs - prior.startMs < p.timeout * 1000;
          const detail = `connection at ${seconds(o.startMs)} on ${o.realServer}${prior ? ` (previous on ${prior.server} at ${seconds(prior.startMs)})` : ' (first seen)'}`;
          if (o.realServer === server) lastOnDrainedMs = o.startMs;
          if (!sticky) {
            if (o.realServer === server) newOnDrained.push({ client: o.client.address, detail });
            else newElsewhere++;
          } else if (o.realServer === server) {
            stayed++;
            if (templates === 'expired') stayedWrongly.push({ client: o.client.address, detail });
          } else {
            moved++;
            if (templates === 'honoured') leftEarly.push({ client: o.client.address, detail });
          }
        }
        // In flight at the drain: an FTP download that had already completed is not.
        const sessions = (window?.sessions ?? []).filter((s) => s.realServer === server && s.openedMs < t && (s.brokenMs ?? s.closedMs) >= t);
        const broken = sessions.filter((s) => s.brokenMs !== null && s.brokenMs >= t);
        const endMs = Math.max(0, ...observations.map((o) => o.startMs));
        const sessionsOpenAtEnd = sessions.filter((s) => s.brokenMs === null && (s.transfer?.completedMs ?? null) === null).length;
        const data = { server, drainedAtMs: t, expireQuiescentTemplate: sysctl, templates, newOnDrained: newOnDrained.length, stayed, moved, newElsewhere, sessions: sessions.length, broken: broken.length, lastOnDrainedMs };

        if (after === 0) return { pass: false, expected, seen: `nothing to judge: no connection was made after the drain at ${seconds(t)}`, data };
        const sticky = stayed + moved;
        if (p && sticky === 0) {
          return { pass: false, expected, seen: `nothing to judge: no client with a template on ${server} came back after the drain (more returning clients or a later drain)`, data };
        }
        const problems: string[] = [];
        if (newOnDrained.length > 0) problems.push(`${newOnDrained.length} new ${p ? 'template(s)' : 'connection(s)'} landed on ${server} after it went to weight 0`);
        if (leftEarly.length > 0) problems.push(`${leftEarly.length} client(s) left ${server} while their template lived (expire_quiescent_template=0 keeps them there)`);
        if (stayedWrongly.length > 0) problems.push(`${stayedWrongly.length} connection(s) stayed on ${server} on a quiescent template (expire_quiescent_template=1 expires it at its next use)`);
        if (broken.length > 0) problems.push(`${broken.length} of ${sessions.length} session(s) on ${server} broke after the drain`);
        const emptied =
          lastOnDrainedMs === null && sessionsOpenAtEnd === 0
            ? `${server} carried nothing new from the drain on`
            : sessionsOpenAtEnd > 0 || (lastOnDrainedMs !== null && endMs - lastOnDrainedMs < 1000)
              ? `${server} still carried ${sessionsOpenAtEnd} session(s) and sticky clients at the end${p ? ` (it empties once their ${p.timeout} s templates expire)` : ''}`
              : `${server} carried its last new connection ${seconds(lastOnDrainedMs! - t)} after the drain`;
        const story = `${server} drained at ${seconds(t)}: ${newElsewhere} connection(s) ${p ? `without a template on ${server} ` : ''}went elsewhere, ${newOnDrained.length} to ${server}, ${p ? `${stayed} sticky connection(s) stayed on it and ${moved} moved away, ` : ''}${sessions.length - broken.length} of ${sessions.length} session(s) on it carried on; ${emptied}`;
        if (problems.length > 0) {
          return { pass: false, expected, seen: `${problems.join('; ')}. ${story}`, examples: [...newOnDrained, ...leftEarly, ...stayedWrongly].slice(0, 5), data };
        }
        return { pass: true, expected, seen: story, data };
      },
    };
  },
});
