import type { SuiteSpec } from '../suite/schema.js';
import { parseExpression, parseMetric, ThresholdSyntaxError, type Scope, type Threshold } from './parse.js';

/** Where a bad threshold is, as a path into the suite file, and what was expected there. */
export interface ThresholdProblem {
  path: (string | number)[];
  /** Set when the problem is the map key (the metric) rather than a value. */
  key?: string;
  expected: string;
}

/** Parses a suite's `thresholds:` map; every bad metric, scope or expression is one problem. */
export function parseSuiteThresholds(spec: SuiteSpec): { thresholds: Threshold[]; problems: ThresholdProblem[] } {
  const thresholds: Threshold[] = [];
  const problems: ThresholdProblem[] = [];
  for (const [metricText, expressions] of Object.entries(spec.thresholds ?? {})) {
    let parsed: ReturnType<typeof parseMetric>;
    try {
      parsed = parseMetric(metricText);
      const unknown = unknownScope(parsed.scope, spec);
      if (unknown) throw new ThresholdSyntaxError(unknown);
    } catch (e) {
      if (!(e instanceof ThresholdSyntaxError)) throw e;
      problems.push({ path: ['thresholds'], key: metricText, expected: e.message });
      continue;
    }
    expressions.forEach((text, i) => {
      try {
        thresholds.push({ metricText: metricText.trim(), ...parsed, ...parseExpression(parsed.metric, text) });
      } catch (e) {
        if (!(e instanceof ThresholdSyntaxError)) throw e;
        problems.push({ path: ['thresholds', metricText, i], expected: e.message });
      }
    });
  }
  return { thresholds, problems };
}

/** Says what was expected when a scope names a server or probe the suite does not have. */
export function unknownScope(scope: Scope, spec: Pick<SuiteSpec, 'service' | 'probes'>): string | null {
  const servers = spec.service.realServers.map((rs) => rs.name);
  const probes = spec.probes.map((p) => p.name);
  if (scope.server !== undefined && !servers.includes(scope.server)) return `a real server of the suite (${servers.join(', ')}), got server:${scope.server}`;
  if (scope.probe !== undefined && !probes.includes(scope.probe)) return `a probe of the suite (${probes.join(', ')}), got probe:${scope.probe}`;
  return null;
}
