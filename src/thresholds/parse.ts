/**
 * Threshold expressions, as k6 writes them: a metric (optionally scoped by tags) mapped to
 * `aggregation operator number`. Grammar:
 *
 *   metric      := name [ "{" tag ":" value "}" ]
 *   name        := "latency.connect" | "latency.firstByte" | "latency.total" | "failed" | "rps" | "share"
 *   tag         := "server" | "probe"
 *   expression  := aggregation operator number
 *   aggregation := "p(" number ")" | "avg" | "min" | "med" | "max"      (latency, in ms)
 *                | "rate" | "count"                                     (failed: share 0..1, count)
 *                | "value"                                              (rps)
 *                | "deviation"                                          (share: percentage points)
 *   operator    := "<" | "<=" | ">" | ">=" | "==" | "!="
 *
 * On the command line both halves go in one argument, METRIC:EXPR; the metric ends at the first
 * colon outside braces.
 */

export const METRICS = ['latency.connect', 'latency.firstByte', 'latency.total', 'failed', 'rps', 'share'] as const;
export type MetricName = (typeof METRICS)[number];
export const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Operator = (typeof OPERATORS)[number];

export type Aggregation =
  | { kind: 'percentile'; percent: number }
  | { kind: 'avg' | 'min' | 'med' | 'max' | 'rate' | 'count' | 'value' | 'deviation' };

export interface Scope {
  server?: string;
  probe?: string;
}

export interface Threshold {
  /** As written: `latency.total{server:web1}`. */
  metricText: string;
  metric: MetricName;
  scope: Scope;
  /** As written, trimmed: `p(99)<50`. */
  expression: string;
  aggregation: Aggregation;
  operator: Operator;
  limit: number;
}

const AGGREGATIONS: Record<MetricName, string[]> = {
  'latency.connect': ['p(N)', 'avg', 'min', 'med', 'max'],
  'latency.firstByte': ['p(N)', 'avg', 'min', 'med', 'max'],
  'latency.total': ['p(N)', 'avg', 'min', 'med', 'max'],
  failed: ['rate', 'count'],
  rps: ['value'],
  share: ['deviation'],
};

/** What went wrong, in the words the error message puts after "expected". */
export class ThresholdSyntaxError extends Error {}

export function parseMetric(text: string): { metric: MetricName; scope: Scope } {
  const m = /^\s*([A-Za-z.]+)\s*(?:\{([^}]*)\})?\s*$/.exec(text);
  const name = m?.[1];
  if (!m || !name || !(METRICS as readonly string[]).includes(name)) {
    throw new ThresholdSyntaxError(`a metric (${METRICS.join(', ')}), optionally scoped as {server:NAME} or {probe:NAME}, got "${text}"`);
  }
  const scope: Scope = {};
  if (m[2] !== undefined) {
    for (const part of m[2].split(',')) {
      const tag = /^\s*(server|probe)\s*:\s*([^\s:,]+)\s*$/.exec(part);
      if (!tag?.[1] || !tag[2]) throw new ThresholdSyntaxError(`scope tags as server:NAME or probe:NAME, got "{${m[2]}}"`);
      const key = tag[1] as keyof Scope;
      if (Object.keys(scope).length > 0) throw new ThresholdSyntaxError(`one scope tag, server or probe, got "{${m[2]}}"`);
      scope[key] = tag[2];
    }
  }
  if (name === 'share' && scope.probe !== undefined) throw new ThresholdSyntaxError('share scoped by {server:NAME} only (the spread is over servers)');
  return { metric: name as MetricName, scope };
}

export function parseExpression(metric: MetricName, text: string): Omit<Threshold, 'metricText' | 'metric' | 'scope'> {
  const m = /^\s*(p\(\s*([0-9]+(?:\.[0-9]+)?)\s*\)|[a-z]+)\s*(<=|>=|==|!=|<|>)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$/.exec(text);
  const allowed = AGGREGATIONS[metric];
  const shape = `AGGREGATION OPERATOR NUMBER with AGGREGATION one of ${allowed.join(', ')} and OPERATOR one of ${OPERATORS.join(' ')}`;
  if (!m?.[1] || !m[3] || !m[4]) throw new ThresholdSyntaxError(`${shape}, got "${text}"`);
  let aggregation: Aggregation;
  if (m[2] !== undefined) {
    const percent = Number(m[2]);
    if (!allowed.includes('p(N)')) throw new ThresholdSyntaxError(`for ${metric} an aggregation among ${allowed.join(', ')}, got "${m[1]}"`);
    if (!(percent > 0 && percent <= 100)) throw new ThresholdSyntaxError(`a percentile above 0 and at most 100, got p(${m[2]})`);
    aggregation = { kind: 'percentile', percent };
  } else {
    if (!allowed.includes(m[1])) throw new ThresholdSyntaxError(`for ${metric} an aggregation among ${allowed.join(', ')}, got "${m[1]}"`);
    aggregation = { kind: m[1] as Exclude<Aggregation['kind'], 'percentile'> };
  }
  return { expression: text.trim(), aggregation, operator: m[3] as Operator, limit: Number(m[4]) };
}

/** A command-line `--threshold METRIC:EXPR`. */
export function parseThresholdArgument(text: string): Threshold {
  let depth = 0;
  let split = -1;
  for (let i = 0; i < text.length && split < 0; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (text[i] === ':' && depth === 0) split = i;
  }
  if (split < 0) throw new ThresholdSyntaxError(`METRIC:EXPRESSION, e.g. 'latency.total:p(99)<50', got "${text}"`);
  const metricText = text.slice(0, split).trim();
  const { metric, scope } = parseMetric(metricText);
  return { metricText, metric, scope, ...parseExpression(metric, text.slice(split + 1)) };
}

/** `latency.total{server:web1}: p(99)<50`, the way verdicts and tables name a threshold. */
export function thresholdName(t: Pick<Threshold, 'metricText' | 'expression'>): string {
  return `${t.metricText}: ${t.expression}`;
}
