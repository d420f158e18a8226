/**
 * Exact wrr order: when the lab records its scheduling decisions, the real servers picked for new
 * templates (or connections) must follow the kernel's wrr sequence for the service's real servers
 * in the order the director actually has them (the wrr sequence depends on it); and every client
 * must have been answered by the server the director picked for it.
 */
import type { DirectorSnapshot } from '../director/model.js';
import { serviceKey } from '../director/parse/service-key.js';
import type { LabSnapshot } from '../lab/lab.js';
import { createWrr } from '../lab/sim/schedulers/wrr.js';
import type { SchedDest } from '../lab/sim/schedulers/types.js';
import type { Leg } from '../director/table-agreement.js';
import type { VerdictExample } from '../model/verdict.js';
import type { ServiceSpec } from '../suite/schema.js';

interface NamedDest extends SchedDest {
  name: string;
}

/** The kernel's wrr picks for `count` new connections, servers added one by one in the given order. */
export function predictWrr(servers: readonly { name: string; weight: number }[], count: number): (string | null)[] {
  const list: NamedDest[] = [];
  const wrr = createWrr(list);
  for (const rs of servers) {
    const dest: NamedDest = { name: rs.name, address: rs.name, weight: rs.weight, activeConns: 0, inactConns: 0 };
    list.unshift(dest); // head insertion, as the kernel's list_add_rcu
    wrr.destAdded(dest);
  }
  return Array.from({ length: count }, () => wrr.schedule({ address: '0.0.0.0', port: 0 })?.name ?? null);
}

export interface OrderOutcome {
  pass: boolean;
  expected: string;
  seen: string;
  examples: VerdictExample[];
  data: Record<string, unknown>;
}

/**
 * The servers of each service in order of addition, from the director's list (most recent first).
 * Only a reading of the table itself has that list order: ipvsadm sorts its listings and dumps by
 * address, so a reading built from them cannot tell.
 */
function additionOrders(reading: DirectorSnapshot | null): Map<string, Array<{ name: string; weight: number }>> | null {
  if (reading === null || reading.source.kind !== 'embedded') return null;
  return new Map(reading.config.services.map((s) => [serviceKey(s), [...s.realServers].reverse()]));
}

export function wrrOrderOutcome(
  service: ServiceSpec,
  lab: LabSnapshot | null,
  legs: Iterable<Leg & { data?: boolean }>,
  reading: DirectorSnapshot | null,
): OrderOutcome | null {
  // The kernel lab records no decisions (the kernel does not say in which order it scheduled).
  if (!lab || service.scheduler !== 'wrr' || lab.history.length === 0) return null;
  // The lab keeps a bounded ring of decisions: once it wrapped, the sequence no longer starts at #1.
  if (lab.history[0]!.seq !== 1) return null;
  const orders = additionOrders(reading);
  if (orders === null) {
    return {
      pass: true,
      expected: "the kernel's wrr sequence (order unknown: not judged)",
      seen: "the director's real-server order is unknown, so the exact wrr order was not judged",
      examples: [],
      data: { orderUnknown: true },
    };
  }
  // The control connections only: the history records what the scheduler placed.
  const seenBy = new Map<string, string | null>();
  for (const leg of legs) if (!leg.data) seenBy.set(`${leg.client.address}:${leg.client.port}`, leg.realServer);
  const bySvc = new Map<string, LabSnapshot['history']>();
  for (const r of lab.history) {
    if (!r.scheduled) continue;
    const list = bySvc.get(r.service);
    if (list) list.push(r);
    else bySvc.set(r.service, [r]);
  }

  const examples: VerdictExample[] = [];
  let orderBreaks = 0;
  let disagreements = 0;
  let decisions = 0;
  let matched = 0;
  for (const [svc, records] of bySvc) {
    const predicted = predictWrr(orders.get(svc) ?? [], records.length);
    decisions += records.length;
    const at = records.findIndex((r, i) => r.realServer !== predicted[i]);
    if (at >= 0) {
      orderBreaks++;
      examples.push({
        client: records[at]!.client,
        detail: `${svc}: decision #${at + 1} went to ${records[at]!.realServer}, the kernel's wrr picks ${predicted[at]} (sequence ${predicted.slice(0, 12).join(',')}...)`,
      });
    }
    for (const r of records) {
      const saw = seenBy.get(r.client);
      if (saw !== undefined && saw !== null) matched++;
      if (saw !== undefined && saw !== null && saw !== r.realServer) {
        disagreements++;
        if (examples.length < 5) examples.push({ client: r.client, detail: `director picked ${r.realServer}, the client was answered by ${saw}` });
      }
    }
  }
  return {
    pass: orderBreaks === 0 && disagreements === 0,
    expected: "the kernel's wrr sequence, and each client answered by the server the director picked",
    seen:
      orderBreaks === 0 && disagreements === 0
        ? `${decisions} scheduling decisions in the kernel's wrr order`
        : `${orderBreaks} service(s) left the wrr order, ${disagreements} client(s) answered by another server than picked`,
    examples,
    // matched: decisions whose connection the clients observed (by address and port) and identified.
    data: { decisions, matched, orderBreaks, disagreements },
  };
}
