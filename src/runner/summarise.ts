import type { Observation } from '../model/observation.js';
import type { ProbeRate, SuiteSummary } from '../model/summary.js';
import { BusyTime } from '../metrics/busy-time.js';

const UNKNOWN = '(unknown)';

/** The suite summary kept as the connections finish: counts per server, client, probe and reason, not the connections. */
export class SummaryTally {
  private n = 0;
  private failed = 0;
  private readonly errors: Record<string, number> = {};
  private readonly byRealServer: Record<string, number> = {};
  private readonly byClient: Record<string, Record<string, number>> = {};
  private clients = 0;
  private connectSum = 0;
  private connectCount = 0;
  private totalSum = 0;
  private totalMax: number | null = null;
  private readonly rates = new Map<string, ProbeRate>();
  private readonly busy = new BusyTime();

  add(o: Observation): void {
    this.n++;
    if (o.error) {
      this.failed++;
      this.errors[o.error.code] = (this.errors[o.error.code] ?? 0) + 1;
    }
    const rs = o.realServer ?? UNKNOWN;
    this.byRealServer[rs] = (this.byRealServer[rs] ?? 0) + 1;
    let perClient = this.byClient[o.client.address];
    if (!perClient) {
      perClient = this.byClient[o.client.address] = {};
      this.clients++;
    }
    perClient[rs] = (perClient[rs] ?? 0) + 1;
    if (o.timings.connectMs !== null) {
      this.connectSum += o.timings.connectMs;
      this.connectCount++;
    }
    this.totalSum += o.timings.totalMs;
    this.totalMax = this.totalMax === null ? o.timings.totalMs : Math.max(this.totalMax, o.timings.totalMs);
    const rate = this.rates.get(o.probe) ?? { protocol: o.protocol, connections: 0, failed: 0, perSecond: null };
    rate.connections++;
    if (o.error) rate.failed++;
    this.rates.set(o.probe, rate);
    this.busy.add(o);
  }

  summary(): SuiteSummary {
    const n = this.n;
    return {
      connections: n,
      failed: this.failed,
      errors: this.errors,
      byRealServer: this.byRealServer,
      clients: this.clients,
      byClient: this.byClient,
      byProbe: this.probeRates(),
      timings: {
        connectMsMean: this.connectCount ? round3(this.connectSum / this.connectCount) : null,
        totalMsMean: n ? round3(this.totalSum / n) : null,
        totalMsMax: this.totalMax === null ? null : round3(this.totalMax),
      },
    };
  }

  /** Rates over busy time: each round's span counts, the idle pauses between rounds do not. */
  private probeRates(): Record<string, ProbeRate> {
    const { byProbe } = this.busy.seconds();
    const out: Record<string, ProbeRate> = {};
    for (const [probe, rate] of this.rates) {
      const seconds = byProbe.get(probe) ?? 0;
      out[probe] = { ...rate, perSecond: seconds > 0 ? Math.round((rate.connections / seconds) * 10) / 10 : null };
    }
    return out;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
