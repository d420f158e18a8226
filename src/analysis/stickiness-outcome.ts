import type { CheckOutcome, VerdictExample } from '../model/verdict.js';
import type { StickinessReport } from './stickiness.js';

/** What the traffic could tell apart (src/analysis/persistence-check.ts). */
export interface Evidence {
  /** Why the traffic could not tell the expected persistence from a wrong one; empty when it could. */
  gaps: string[];
  /** The chance that a director without persistence kept every key put. */
  noPersistence: number;
  /** The chance that the port rival (per-port services, or one all-ports template) gave the same. */
  portRival: number;
  multiPortClients: number;
  /** Per-port expectation only: clients on different servers for different ports. */
  splitClients: number | null;
  alpha: number;
}

/**
 * Turns a stickiness report into a verdict. It passes only on evidence: every key stayed, and the
 * traffic would have shown a wrong director. A report with nothing to judge fails rather than passes.
 */
export function stickinessOutcome(
  report: StickinessReport,
  how: { expected: string; unit: string; examples: VerdictExample[]; evidence: Evidence },
): CheckOutcome {
  const { evidence } = how;
  const violated = report.violatedKeys;
  const data = {
    keys: report.keys,
    judged: report.judged,
    violatedKeys: violated,
    expiredSwitches: report.expiredCount,
    longestStaySeconds: report.longestStayMs / 1000,
    pIfNoPersistence: evidence.noPersistence,
    pIfPortRival: evidence.portRival,
    multiPortClients: evidence.multiPortClients,
    ...(evidence.splitClients === null ? {} : { splitClients: evidence.splitClients }),
  };
  const fail = (seen: string): CheckOutcome => ({ pass: false, expected: how.expected, seen, examples: how.examples, data });
  if (report.judged === 0) return fail(`no ${how.unit} made two identified connections, so stickiness could not be judged`);
  if (violated > 0) return fail(`${violated} of ${report.judged} ${how.unit}s changed real server while persistent`);
  if (evidence.splitClients === 0 && evidence.gaps.length === 0 && evidence.portRival < evidence.alpha) {
    return fail(
      `all ${evidence.multiPortClients} clients on two or more ports got one server on every port: that is one template over all ports, ` +
        `not one per port (per-port services would have kept them all together only with ${pText(evidence.portRival)})`,
    );
  }
  if (evidence.gaps.length > 0) return fail(`cannot confirm: all ${report.judged} ${how.unit}s stayed, but ${evidence.gaps.join('; ')}`);
  const rival = evidence.splitClients === null ? ', per-port services ' + pText(evidence.portRival) : `; ${evidence.splitClients} clients split over ports as per-port services do`;
  return {
    pass: true,
    expected: how.expected,
    // The idle gaps bound what was shown of the timeout: a shorter one than configured passes alike
    // until a gap exceeds it (the director's reading, or a suite with pauses, tells the timeout).
    seen:
      `all ${report.judged} ${how.unit}s with 2+ connections stayed on one real server, after idle gaps up to ${(report.longestStayMs / 1000).toFixed(1)} s ` +
      `(by luck without persistence ${pText(evidence.noPersistence)}${rival})`,
    examples: how.examples,
    data,
  };
}

function pText(p: number): string {
  return `p = ${p < 0.001 ? p.toExponential(2) : p.toFixed(3)}`;
}
