/**
 * What follows a suite's traffic: the checks' verdicts through the plugin driver (fed every
 * observation already), the summary, and the thresholds over it. The runner calls it after its
 * traffic, and `merge` after feeding the shards' observations, so a merged run is judged exactly as
 * a single run would be.
 */
import type { HarnessError } from '../core/errors.js';
import type { MetricSet } from '../metrics/metric-set.js';
import type { RunOutcome } from '../model/events.js';
import type { Observation } from '../model/observation.js';
import type { VerdictInput } from '../model/plugin.js';
import type { SuiteSummary } from '../model/summary.js';
import type { Verdict } from '../model/verdict.js';
import { expectedShares } from '../stats/expected-shares.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { Threshold } from '../thresholds/parse.js';
import { thresholdVerdicts } from '../thresholds/suite-verdicts.js';
import type { PluginDriver } from './plugin-driver.js';
import { summarise } from './summarise.js';

export interface Judgement {
  verdicts: Verdict[];
  failures: HarnessError[];
  summary: SuiteSummary;
}

/** `metrics`: the traffic's histograms, as recorded live or merged from shards. */
export async function judgeSuite(
  suite: LoadedSuite,
  driver: PluginDriver,
  input: VerdictInput,
  metrics: MetricSet,
  thresholds: readonly Threshold[] = [],
): Promise<Judgement> {
  const { verdicts, failures } = await driver.verdicts(input);
  const observations: readonly Observation[] = input.observations;
  const summary: SuiteSummary = {
    ...summarise(observations),
    metrics,
    expectedShares: expectedShares(suite.spec.service.realServers, suite.spec.service.scheduler),
  };
  verdicts.push(...thresholdVerdicts([...suite.thresholds, ...thresholds], summary, verdicts));
  return { verdicts, failures, summary };
}

/** A suite's outcome from how its traffic went and what the checks said, worst first. */
export function suiteOutcome(traffic: { aborted: boolean; unreachable: boolean }, { verdicts, failures }: Pick<Judgement, 'verdicts' | 'failures'>): RunOutcome {
  if (traffic.aborted) return 'aborted';
  if (traffic.unreachable) return 'unreachable';
  if (failures.length > 0) return 'plugin-error';
  return verdicts.some((v) => v.status !== 'pass') ? 'failed' : 'passed';
}
