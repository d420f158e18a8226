import type { SuiteSummary } from '../model/summary.js';
import type { Verdict } from '../model/verdict.js';
import { evaluateThreshold } from './evaluate.js';
import type { Threshold } from './parse.js';

/**
 * A suite's thresholds judged on its traffic. The spread is judged on what the weights check counted
 * when it ran (new templates for a persistent service: connections of a sticky client are not new
 * scheduling decisions), else on connections per server.
 */
export function thresholdVerdicts(thresholds: readonly Threshold[], summary: SuiteSummary, verdicts: readonly Verdict[]): Verdict[] {
  if (thresholds.length === 0 || !summary.metrics) return [];
  const metrics = summary.metrics;
  const shareCounts = weightsCounts(verdicts);
  return thresholds.map((t) =>
    evaluateThreshold(t, metrics, { expectedShares: summary.expectedShares ?? null, ...(shareCounts ? { shareCounts } : {}) }),
  );
}

function weightsCounts(verdicts: readonly Verdict[]): Record<string, number> | undefined {
  const counts = verdicts.find((v) => v.check === 'weights')?.data?.['counts'];
  if (typeof counts !== 'object' || counts === null) return undefined;
  const entries = Object.entries(counts);
  return entries.every(([, c]) => typeof c === 'number') ? Object.fromEntries(entries as [string, number][]) : undefined;
}
