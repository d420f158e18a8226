/**
 * Whether the harness's clients were the only ones the scheduler chose for during the traffic. Only
 * then are rr's and wrr's choices a window of their cycle, predictable from the weights alone.
 *
 * A lab the harness built has no other clients, unless other shards share it. A live director has to show it with its own readings
 * from before and after the traffic: its per-server connection counters grew by exactly the
 * connections the harness made there (one connection of anyone else's, or one of ours that the
 * harness could not place, and the window is no longer ours alone). A client group of ours whose
 * template was already in the table (left by an earlier run, or by the check that the VIP answers)
 * went back to its server without a choice: it is left out of the window (`kept`), provided its
 * template outlived the traffic (one that expired in between was chosen anew at an unknown point).
 */
import { reconcileCounters } from '../director/counter-reconcile.js';
import { suiteReach } from '../director/suite-reach.js';
import { directorConfigFor } from '../lab/director-config.js';
import type { ConnectionEntry } from '../director/model.js';
import { serverNamer } from '../director/server-names.js';
import type { Leg } from '../director/table-agreement.js';
import type { DirectorReadings, SuiteView } from '../model/plugin.js';
import { maskAddress } from '../net/ipv4.js';

export type SoleTraffic =
  /** `kept`: scheduling-unit keys (src/analysis/scheduling-units.ts) that a template from before the traffic placed. */
  | { sole: true; how: string; kept: ReadonlySet<string> }
  | { sole: false; why: string };

export function soleTraffic(suite: SuiteView, legs: () => Iterable<Leg>, { before, after }: DirectorReadings): SoleTraffic {
  // A lab shared with other shards is as a live director: only its counters can show who else it served.
  if (suite.lab !== 'none' && suite.sharedDirector === undefined) return { sole: true, how: `the ${suite.lab} lab has no clients but the harness's`, kept: new Set() };
  if (before === null || after === null) return { sole: false, why: 'no director was read (--director), so other clients may have been scheduled between ours' };
  const counted = reconcileCounters(before, after, legs, suite.vip, serverNamer(suite.service.realServers, after), suiteReach(directorConfigFor(suite.vip, suite.service), suite.vip));
  if (!counted.judged) return { sole: false, why: counted.reason };
  if (counted.removed.length > 0) return { sole: false, why: `${counted.removed.join(', ')} left the director's table during the traffic, so its counters cannot show who else it served` };
  if (counted.others > 0) return { sole: false, why: `the director counted ${counted.others} connections beyond the harness's identified ones during the traffic` };
  if (counted.short.length > 0) return { sole: false, why: `the director's counters fell short of the harness's connections on ${counted.short.join(', ')}` };
  // A reused client port may or may not have been counted: the counters no longer add up exactly.
  if (counted.reused > 0) return { sole: false, why: `${counted.reused} connections reused a client port whose entry the director may still have held, so its counters cannot show that nobody else was scheduled` };
  const kept = new Set<string>();
  const persistence = suite.service.persistence;
  if (persistence !== null) {
    if (before.connections === null) return { sole: false, why: 'the director gave no connection table before the traffic, so templates from before it cannot be told apart' };
    const groups = new Set(suite.sources.map((s) => maskAddress(s, persistence.netmask)));
    const spanSeconds = (after.readAtMs - before.readAtMs) / 1000;
    const ours = ourTemplate(suite);
    for (const t of before.connections.filter((e) => e.template && groups.has(e.client.address) && ours(e))) {
      if (t.expiresSeconds <= spanSeconds) return { sole: false, why: `the template of ${t.client.address} from before the traffic may have expired during it (${t.expiresSeconds} s left)` };
      kept.add(suite.service.kind === 'ppc' ? `${t.client.address}:${t.virtual.port}` : t.client.address);
    }
  }
  const total = Object.values(counted.perServer).reduce((n, c) => n + c.director, 0);
  return { sole: true, how: `the director's counters grew by exactly the harness's ${total} connections`, kept };
}

/**
 * Whether a template belongs to the suite's service: its virtual address is the VIP, or for a fwmark
 * service the mark as an address (the kernel keys a fwmark template on htonl(mark), port 0).
 */
function ourTemplate(suite: SuiteView): (e: ConnectionEntry) => boolean {
  const mark = suite.service.fwmark;
  const markAddress = mark === undefined ? null : [24, 16, 8, 0].map((shift) => (mark >>> shift) & 255).join('.');
  return (e) => e.virtual.address === suite.vip || e.virtual.address === markAddress;
}
