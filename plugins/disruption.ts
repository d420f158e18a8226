/**
 * disruption: budgets over the change window, so CI can gate a change: failed connections, sessions
 * broken, the longest a client went unserved (first failure to next success) and clients moved to
 * another server, all counted from the first change on. Each budget is optional; at least one is set.
 */
import { z } from 'zod';
import { clientOutcomes, movedClients, recoverySeconds, seconds } from '../src/analysis/window-clients.js';
import { defineCheck } from '../src/model/plugin.js';
import { maskAddress } from '../src/net/ipv4.js';
import { ObservationList } from '../src/analysis/observation-list.js';

const budgets = z
  .strictObject({
    maxFailed: z.int().min(0).optional(),
    maxBroken: z.int().min(0).optional(),
    maxRecoverySeconds: z.number().min(0).optional(),
    maxMoved: z.int().min(0).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one budget: maxFailed, maxBroken, maxRecoverySeconds or maxMoved' });

export default defineCheck({
  name: 'disruption',
  description: 'the change window stays within its budgets: failed connections, broken sessions, recovery time, moved clients',
  options: budgets,
  create(options, suite) {
    const kept = new ObservationList();
    return {
      observation: kept.add,
      verdict({ window }) {
        const observations = kept.all;
        const stated = Object.entries(options).map(([k, v]) => `${k} ${String(v)}`).join(', ');
        const expected = `the change window within ${stated}`;
        const first = window?.changes.find((c) => c.effectiveMs !== null);
        if (first === undefined) return { pass: false, expected, seen: 'nothing to judge: no change was made (add changes: to the suite)' };
        const t = first.effectiveMs!;
        const after = observations.filter((o) => o.startMs >= t);
        if (after.length === 0) return { pass: false, expected, seen: `nothing to judge: no connection was made after the first change at ${seconds(t)}` };
        const p = suite.service.persistence;
        const outcomes = clientOutcomes(observations, t, (o) => (p ? maskAddress(o.client.address, p.netmask) : o.client.address));
        const measured = {
          maxFailed: after.filter((o) => o.error !== null).length,
          maxBroken: (window?.sessions ?? []).filter((s) => s.brokenMs !== null && s.brokenMs >= t).length,
          maxRecoverySeconds: Math.max(0, ...outcomes.map((c) => recoverySeconds(c) ?? 0)),
          maxMoved: movedClients(outcomes).length,
        };
        const words = {
          maxFailed: `${measured.maxFailed} connection(s) failed`,
          maxBroken: `${measured.maxBroken} session(s) broke`,
          maxRecoverySeconds: Number.isFinite(measured.maxRecoverySeconds) ? `the longest a client went unserved was ${measured.maxRecoverySeconds.toFixed(2)} s` : 'a client was never served again',
          maxMoved: `${measured.maxMoved} client(s) moved to another server`,
        };
        // A budget on moves or breaks is only evidence if something could have moved or broken.
        const crossed = outcomes.filter((c) => c.before !== null).length;
        const held = (window?.sessions ?? []).filter((s) => s.openedMs < t && (s.brokenMs ?? s.closedMs) >= t).length;
        const unjudged = [
          ...(options.maxMoved !== undefined && crossed === 0 ? ['maxMoved: no client served before the change came back after it'] : []),
          ...(options.maxBroken !== undefined && held === 0 ? ['maxBroken: no session was held across the change'] : []),
        ];
        const over = (Object.keys(options) as (keyof typeof measured)[]).filter((k) => options[k] !== undefined && measured[k] > options[k]!);
        const story = `from the first change at ${seconds(t)}: ${Object.values(words).join(', ')} (${crossed} client(s) came back across it, ${held} session(s) held across it)`;
        const data = { fromMs: t, ...measured, maxRecoverySeconds: Number.isFinite(measured.maxRecoverySeconds) ? measured.maxRecoverySeconds : null, crossedClients: crossed, heldSessions: held };
        if (over.length > 0) {
          return { pass: false, expected, seen: `over budget: ${over.map((k) => `${words[k]} (budget ${String(options[k])})`).join('; ')}; ${story}`, data };
        }
        if (unjudged.length > 0) return { pass: false, expected, seen: `nothing to judge for ${unjudged.join('; ')}; ${story}`, data };
        return { pass: true, expected, seen: story, data };
      },
    };
  },
});
