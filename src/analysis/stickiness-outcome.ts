import type { CheckOutcome, VerdictExample } from '../model/verdict.js';
import type { StickinessReport } from './stickiness.js';

/** Turns a stickiness report into a verdict; a report with nothing to judge fails rather than passes. */
export function stickinessOutcome(
  report: StickinessReport,
  how: { expected: string; unit: string; examples: VerdictExample[] },
): CheckOutcome {
  const violated = new Set(report.violations.map((v) => v.key)).size;
  const data = { keys: report.keys, judged: report.judged, violatedKeys: violated, expiredSwitches: report.expiredSwitches.length };
  if (report.judged === 0) {
    return {
      pass: false,
      expected: how.expected,
      seen: `no ${how.unit} made two identified connections, so stickiness could not be judged`,
      data,
    };
  }
  return {
    pass: violated === 0,
    expected: how.expected,
    seen:
      violated === 0
        ? `all ${report.judged} ${how.unit}s with 2+ connections stayed on one real server`
        : `${violated} of ${report.judged} ${how.unit}s changed real server while persistent`,
    examples: how.examples,
    data,
  };
}
