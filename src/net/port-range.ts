import type { PortRange } from '../model/ipvs.js';

/** A port, or a `port` / `low-high` text, as a range; text that is not numbers gives NaN bounds. */
export function toRange(p: number | string): PortRange {
  if (typeof p === 'number') return { from: p, to: p };
  const [from, to = from] = p.split('-').map((x) => (/^\d+$/.test(x.trim()) ? Number(x) : NaN)) as [number, number?];
  return { from, to };
}

export function isValidRange(r: PortRange): boolean {
  return Number.isInteger(r.from) && Number.isInteger(r.to) && r.from >= 1 && r.to <= 65535 && r.from <= r.to;
}
