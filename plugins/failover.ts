/**
 * failover: after a real server stops (its daemons die or its host goes silent), every client it
 * served or that failed since is served again: per client, the time from its first failure to its
 * first success after it; overall, from the first failure to the last client's recovery. Also counts
 * the failed connections, the sessions broken, the clients moved to another server, and, when the
 * server starts again, whether clients reach it again.
 */
import { z } from 'zod';
import { clientOutcomes, firstChange, movedClients, recoverySeconds, seconds } from '../src/analysis/window-clients.js';
import { defineCheck } from '../src/model/plugin.js';
import { maskAddress } from '../src/net/ipv4.js';
import { ObservationList } from '../src/analysis/observation-list.js';

export default defineCheck({
  name: 'failover',
  description: 'after a real server stops, every affected client is served again (time to recover, failures, broken sessions, moved clients)',
  options: z.strictObject({
    /** The failed server; default: the first a change stops. */
    server: z.string().optional(),
    /** Longest a client may go unserved, first failure to next success. */
    maxRecoverySeconds: z.number().positive().optional(),
  }),
  create(options, suite) {
    const kept = new ObservationList();
    return {
      observation: kept.add,
      verdict({ window }) {
        const observations = kept.all;
        const stop = firstChange(window, 'stop', options.server);
        const limit = options.maxRecoverySeconds === undefined ? '' : ` within ${options.maxRecoverySeconds} s`;
        const expected = `after the server stops, every affected client served again${limit}`;
        if (stop === null) return { pass: false, expected, seen: `nothing to judge: no change stopped ${options.server ?? 'a server'} (add a stop: under changes:)` };
        const server = stop.action.server;
        const t = stop.effectiveMs!;
        const started = window?.changes.find((c) => c.effectiveMs !== null && c.effectiveMs > t && c.action.kind === 'start' && c.action.server === server) ?? null;
        const p = suite.service.persistence;
        const keyOf = (address: string): string => (p ? maskAddress(address, p.netmask) : address);
        const outcomes = clientOutcomes(observations, t, (o) => keyOf(o.client.address));
        const affected = outcomes.filter((c) => c.failures > 0 || c.before === server);
        const failed = observations.filter((o) => o.startMs >= t && o.error !== null).length;
        const sessions = (window?.sessions ?? []).filter((s) => s.openedMs < t && (s.brokenMs ?? s.closedMs) >= t);
        const broken = sessions.filter((s) => s.brokenMs !== null && s.brokenMs >= t);
        // Clients that failed and came back for more, but were never served: the failover did not happen for them.
        const unrecovered = affected.filter((c) => recoverySeconds(c) === Infinity);
        const notRetried = affected.filter((c) => recoverySeconds(c) === null);
        const recoveries = affected.filter((c) => c.failures > 0 && c.recoveredMs !== null).map((c) => recoverySeconds(c)!);
        const worst = recoveries.length > 0 ? Math.max(...recoveries) : 0;
        const firstFailure = Math.min(...affected.flatMap((c) => (c.firstFailureMs === null ? [] : [c.firstFailureMs])));
        const lastRecovery = Math.max(...affected.flatMap((c) => (c.recoveredMs === null ? [] : [c.recoveredMs])));
        const overall = Number.isFinite(firstFailure) && Number.isFinite(lastRecovery) ? (lastRecovery - firstFailure) / 1000 : 0;
        const moved = movedClients(affected);
        const back = started === null ? null : observations.filter((o) => o.startMs >= started.effectiveMs! && o.realServer === server && o.error === null).length;
        const data = {
          server,
          stoppedAtMs: t,
          startedAtMs: started?.effectiveMs ?? null,
          affected: affected.length,
          failed,
          broken: broken.length,
          moved: moved.length,
          unrecovered: unrecovered.length,
          notRetried: notRetried.length,
          worstRecoverySeconds: worst,
          overallRecoverySeconds: overall,
          servedByItAfterStart: back,
        };
        if (affected.length === 0) {
          return { pass: false, expected, seen: `nothing to judge: no client was on ${server} or failed after it stopped at ${seconds(t)}`, data };
        }
        if (affected.length === notRetried.length) {
          return { pass: false, expected, seen: `nothing to judge: none of the ${affected.length} client(s) that failed tried again (raise traffic.returning or durationSeconds)`, data };
        }
        const comeback =
          started === null ? '' : back! > 0 ? `; after it started again at ${seconds(started.effectiveMs!)}, ${back} connection(s) reached it` : `; after it started again at ${seconds(started.effectiveMs!)}, no connection reached it`;
        const story = `${server} stopped at ${seconds(t)}: ${affected.length} client(s) affected, ${failed} connection(s) failed, ${broken.length} of ${sessions.length} session(s) broken, ${moved.length} client(s) moved; every failing client that tried again served again within ${worst.toFixed(2)} s (all within ${overall.toFixed(2)} s of the first failure)${notRetried.length > 0 ? `, ${notRetried.length} did not try again` : ''}${comeback}`;
        if (unrecovered.length > 0) {
          return {
            pass: false,
            expected,
            seen: `${unrecovered.length} of ${affected.length} affected client(s) were never served again after ${server} stopped at ${seconds(t)}`,
            examples: unrecovered.slice(0, 5).map((c) => ({ client: c.key, detail: `${c.failures} failure(s) from ${seconds(c.firstFailureMs!)}, no success after` })),
            data,
          };
        }
        if (options.maxRecoverySeconds !== undefined && worst > options.maxRecoverySeconds) {
          const slow = affected.filter((c) => (recoverySeconds(c) ?? 0) > options.maxRecoverySeconds!);
          return {
            pass: false,
            expected,
            seen: `${slow.length} client(s) took longer than ${options.maxRecoverySeconds} s to be served again (worst ${worst.toFixed(2)} s). ${story}`,
            examples: slow.slice(0, 5).map((c) => ({ client: c.key, detail: `failed at ${seconds(c.firstFailureMs!)}, served again at ${seconds(c.recoveredMs!)}` })),
            data,
          };
        }
        return { pass: true, expected, seen: story, data };
      },
    };
  },
});
