/**
 * Judges thresholds against a MetricSet. Each threshold becomes its own verdict naming the threshold,
 * the measured value and the limit; one with nothing to measure (no samples in its scope, no weights to
 * compare a spread with) fails and says so, as every check here does.
 */
import type { Histogram } from 'hdr-histogram-js';
import { decodeHistogram } from '../bench/histograms.js';
import type { MetricSet, ScopeFigures } from '../metrics/metric-set.js';
import { UNKNOWN_SERVER } from '../metrics/traffic-metrics.js';
import type { Verdict } from '../model/verdict.js';
import { thresholdName, type Aggregation, type Operator, type Threshold } from './parse.js';

export interface ThresholdContext {
  /** Expected share per real server (summing to 1); null when nothing says what the spread should be. */
  expectedShares: Record<string, number> | null;
  /** Counts the spread is judged on when not the scope's requests (the weights check's scheduling units). */
  shareCounts?: Record<string, number>;
}

interface Measured {
  value: number;
  unit: string;
  samples: number;
  basis: string;
}

export function evaluateThreshold(t: Threshold, metrics: MetricSet, ctx: ThresholdContext): Verdict {
  const name = thresholdName(t);
  const expected = `${t.metricText} ${aggregationText(t.aggregation)} ${t.operator} ${t.limit}`;
  const measured = measure(t, metrics, ctx);
  const data = { threshold: name, metric: t.metric, scope: t.scope, aggregation: aggregationText(t.aggregation), operator: t.operator, limit: t.limit };
  if (typeof measured === 'string') {
    return { check: `threshold ${name}`, status: 'fail', expected, seen: `nothing to judge: ${measured}`, examples: [], data: { ...data, value: null } };
  }
  const pass = compare(measured.value, t.operator, t.limit);
  return {
    check: `threshold ${name}`,
    status: pass ? 'pass' : 'fail',
    expected: `${expected}${measured.unit ? ` ${measured.unit}` : ''}`,
    seen: `${aggregationText(t.aggregation)} = ${round(measured.value)}${measured.unit ? ` ${measured.unit}` : ''} (${measured.basis})${pass ? '' : `, limit ${t.operator} ${t.limit}`}`,
    examples: [],
    data: { ...data, value: measured.value, unit: measured.unit, samples: measured.samples },
  };
}

function measure(t: Threshold, m: MetricSet, ctx: ThresholdContext): Measured | string {
  const scopeText = t.scope.server !== undefined ? `server ${t.scope.server}` : t.scope.probe !== undefined ? `probe ${t.scope.probe}` : m.source;
  const figures: ScopeFigures | undefined =
    t.scope.server !== undefined ? m.byServer[t.scope.server] : t.scope.probe !== undefined ? m.byProbe[t.scope.probe] : m.all;
  if (t.metric === 'share') return shareDeviation(t, m, ctx);
  if (!figures || figures.requests === 0) return `no ${m.source === 'bench' ? 'requests' : 'connections'} in scope ${scopeText}`;
  const unitName = m.source === 'bench' ? 'requests' : 'connections';
  switch (t.metric) {
    case 'failed':
      return t.aggregation.kind === 'count'
        ? { value: figures.failed, unit: '', samples: figures.requests, basis: `of ${figures.requests} ${unitName}` }
        : { value: figures.failed / figures.requests, unit: '', samples: figures.requests, basis: `${figures.failed} of ${figures.requests} ${unitName} failed` };
    case 'rps': {
      const seconds = t.scope.probe !== undefined ? (m.byProbe[t.scope.probe]?.seconds ?? 0) : m.seconds;
      if (!(seconds > 0)) return 'no busy time measured';
      return { value: figures.requests / seconds, unit: '/s', samples: figures.requests, basis: `${figures.requests} ${unitName} in ${round(seconds)} s` };
    }
    default: {
      const kind = t.metric === 'latency.connect' ? 'connect' : t.metric === 'latency.firstByte' ? 'firstByte' : 'total';
      const h = decodeHistogram(figures.latency[kind]);
      if (h.totalCount === 0) return `no ${kind} times in scope ${scopeText}`;
      return { value: latencyMs(h, t.aggregation), unit: 'ms', samples: h.totalCount, basis: `${h.totalCount} samples, ${scopeText}` };
    }
  }
}

/** Largest gap, in percentage points, between a server's observed and expected share. */
function shareDeviation(t: Threshold, m: MetricSet, ctx: ThresholdContext): Measured | string {
  if (!ctx.expectedShares) return 'no weights to compare the spread with (bench: --weights)';
  const counts =
    ctx.shareCounts ??
    Object.fromEntries(Object.entries(m.byServer).filter(([name]) => name !== UNKNOWN_SERVER).map(([name, f]) => [name, f.requests]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return 'no connection reached an identified real server';
  const names = new Set([...Object.keys(ctx.expectedShares), ...Object.keys(counts)]);
  if (t.scope.server !== undefined && !names.has(t.scope.server)) return `no real server ${t.scope.server}`;
  let worst = { name: '', pp: -1 };
  for (const name of t.scope.server !== undefined ? [t.scope.server] : names) {
    const pp = Math.abs((100 * (counts[name] ?? 0)) / total - 100 * (ctx.expectedShares[name] ?? 0));
    if (pp > worst.pp) worst = { name, pp };
  }
  return { value: worst.pp, unit: 'pp', samples: total, basis: `${worst.name} of ${total}${ctx.shareCounts ? ' scheduling units' : ''}` };
}

/** Milliseconds from a µs histogram; percentiles as HDR gives them (the highest value of their bucket). */
export function latencyMs(h: Histogram, a: Aggregation): number {
  switch (a.kind) {
    case 'percentile':
      return h.getValueAtPercentile(a.percent) / 1000;
    case 'med':
      return h.getValueAtPercentile(50) / 1000;
    case 'avg':
      return h.mean / 1000;
    case 'min':
      return h.getValueAtPercentile(0) / 1000;
    default:
      return h.maxValue / 1000;
  }
}

function compare(value: number, op: Operator, limit: number): boolean {
  switch (op) {
    case '<': return value < limit;
    case '<=': return value <= limit;
    case '>': return value > limit;
    case '>=': return value >= limit;
    case '==': return value === limit;
    default: return value !== limit;
  }
}

export function aggregationText(a: Aggregation): string {
  return a.kind === 'percentile' ? `p(${a.percent})` : a.kind;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
