/**
 * What rr and wrr can give n new scheduling units, from the weights alone. Both walk a fixed cycle
 * over the real servers (wrr: each server w/gcd times per cycle, heavy ones first in a cycle; rr: each
 * once) and every change to the service restarts the walk at a point of that same cycle (ip_vs_wrr.c
 * dest_changed keeps cw on the cycle's levels). So n consecutive picks are a window of the cycle, and
 * a server's count lies between the least and the most any window of length n holds, whatever the
 * starting point. The list order decides ties within a level and is not always known (a live director,
 * `ipvsadm -S` sorts by address): the bounds are taken over every order, or over a seeded sample of
 * orders when there are too many, which the result says.
 */
import { createRr } from '../lab/sim/schedulers/rr.js';
import { createWrr } from '../lab/sim/schedulers/wrr.js';
import type { SchedDest } from '../lab/sim/schedulers/types.js';
import { shuffled } from '../runner/traffic-plan.js';

export interface CountBounds {
  /** Per server name: the fewest and the most units any window of n picks gives it. */
  bounds: Record<string, { min: number; max: number }>;
  /** Picks in one cycle of the scheduler. */
  cycle: number;
  /** Whether every list order was tried (false: a sample of orders). */
  everyOrder: boolean;
}

interface NamedDest extends SchedDest {
  name: string;
}

/** Work budget in picks simulated; beyond it the orders are sampled. */
const BUDGET = 2_000_000;

export function cycleCountBounds(
  scheduler: 'rr' | 'wrr',
  servers: ReadonlyArray<{ name: string; weight: number }>,
  n: number,
): CountBounds {
  const live = servers.filter((s) => s.weight > 0);
  const bounds: CountBounds['bounds'] = Object.fromEntries(servers.map((s) => [s.name, { min: Infinity, max: -Infinity }]));
  for (const s of servers) if (s.weight === 0) bounds[s.name] = { min: 0, max: 0 };
  if (live.length === 0 || n === 0) {
    for (const s of live) bounds[s.name] = { min: 0, max: 0 };
    return { bounds, cycle: 0, everyOrder: true };
  }
  const orders = listOrders(live, Math.max(1, Math.floor(BUDGET / (2 * cycleLength(scheduler, live)))));
  let cycle = 0;
  for (const order of orders.lists) {
    const seq = steadyCycle(scheduler, order);
    cycle = seq.length;
    for (const s of live) {
      const { min, max } = windowCounts(seq, s.name, n);
      const b = bounds[s.name]!;
      b.min = Math.min(b.min, min);
      b.max = Math.max(b.max, max);
    }
  }
  return { bounds, cycle, everyOrder: orders.every };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function cycleLength(scheduler: 'rr' | 'wrr', live: ReadonlyArray<{ weight: number }>): number {
  if (scheduler === 'rr') return live.length;
  const g = live.reduce((acc, s) => gcd(acc, s.weight), 0);
  return live.reduce((sum, s) => sum + s.weight / g, 0);
}

/** One full cycle of picks for the list in this order (head first), after a first cycle settles it. */
function steadyCycle(scheduler: 'rr' | 'wrr', list: ReadonlyArray<{ name: string; weight: number }>): string[] {
  const dests: NamedDest[] = list.map((s) => ({ name: s.name, address: s.name, weight: s.weight, activeConns: 0, inactConns: 0 }));
  const sched = (scheduler === 'rr' ? createRr : createWrr)(dests);
  const length = cycleLength(scheduler, list);
  const picks: string[] = [];
  for (let i = 0; i < 2 * length; i++) picks.push(sched.schedule({ address: '0.0.0.0', port: 0 })!.name);
  return picks.slice(length);
}

/** The fewest and most times `name` occurs in any n consecutive picks of the repeating cycle. */
function windowCounts(cycle: readonly string[], name: string, n: number): { min: number; max: number } {
  const L = cycle.length;
  const perCycle = cycle.filter((x) => x === name).length;
  const full = Math.floor(n / L) * perCycle;
  const rest = n % L;
  // Sliding window of length `rest` over the cycle, wrapping round.
  let inWindow = 0;
  for (let i = 0; i < rest; i++) if (cycle[i] === name) inWindow++;
  let min = inWindow;
  let max = inWindow;
  for (let start = 1; start < L; start++) {
    if (cycle[start - 1] === name) inWindow--;
    if (cycle[(start + rest - 1) % L] === name) inWindow++;
    if (inWindow < min) min = inWindow;
    if (inWindow > max) max = inWindow;
  }
  return { min: full + (rest === 0 ? 0 : min), max: full + (rest === 0 ? 0 : max) };
}

/** Every permutation when they fit the budget, else the given order, its reverse and seeded shuffles. */
function listOrders<T>(items: readonly T[], budget: number): { lists: T[][]; every: boolean } {
  let count = 1;
  for (let k = 2; k <= items.length && count <= budget; k++) count *= k;
  if (count <= budget) return { lists: permutations(items), every: true };
  const lists = [[...items], [...items].reverse()];
  for (let seed = 1; lists.length < Math.min(budget, 500); seed++) lists.push(shuffled(items, seed));
  return { lists, every: false };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((head, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [head, ...rest]));
}
