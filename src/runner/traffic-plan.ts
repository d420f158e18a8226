/**
 * Turns a suite's traffic section into waves of work. A wave is one probe in one round: every client
 * makes `connections` connections to that probe's port. Clients are visited in a seeded shuffled
 * order that differs per wave, so per-port persistence (each port scheduled on its own) cannot pass
 * for all-ports persistence by accident of identical arrival orders.
 */
import type { ProbeSpec, SuiteSpec } from '../suite/schema.js';

export interface Task {
  client: string;
  connections: number;
}

export interface Wave {
  round: number;
  probe: ProbeSpec;
  tasks: Task[];
}

export function planWaves(spec: SuiteSpec, sources: readonly string[]): Wave[] {
  const { rounds, connections, order, seed } = spec.traffic;
  const waves: Wave[] = [];
  for (let round = 0; round < rounds; round++) {
    spec.probes.forEach((probe, p) => {
      const clients = order === 'shuffled' ? shuffled(sources, seed * 1_000_003 + round * 1009 + p) : [...sources];
      waves.push({ round, probe, tasks: clients.map((client) => ({ client, connections })) });
    });
  }
  return waves;
}

/** mulberry32: numbers in [0, 1), reproducible from the suite's seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with mulberry32: reproducible from the suite's seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const next = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
