/**
 * The fwmark rules that go beside an `ipvsadm -S -n` dump (ipvsadm does not save them; they live in
 * the firewall). One rule a line, `#` starts a comment:
 *
 *     # mark  protocol  vip            ports (single ports and ranges, comma-separated)
 *     1       tcp       127.0.0.120    21,10001-15000
 */
import { createDirectorConfigError } from '../core/errors.js';
import type { FwmarkRule, PortRange } from '../model/ipvs.js';
import { isValidRange, toRange } from '../net/port-range.js';

const RULE = /^(\d+)\s+(tcp|udp)\s+(\d{1,3}(?:\.\d{1,3}){3})\s+(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$/;

export function parseFwmarkRules(text: string, file: string): FwmarkRule[] {
  const rules: FwmarkRule[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const fail = (expected: string): never => {
      throw createDirectorConfigError(file, index + 1, raw, expected);
    };
    const m = RULE.exec(line) ?? fail('MARK tcp|udp VIP PORT[-PORT][,...], e.g. 1 tcp 127.0.0.120 21,10001-15000');
    const ports = m[4]!.split(',').map((p): PortRange => {
      const range = toRange(p);
      if (!isValidRange(range)) fail(`ports from 1 to 65535 with ranges low-high, not ${p}`);
      return range;
    });
    rules.push({ mark: Number(m[1]), protocol: m[2] as 'tcp' | 'udp', vip: m[3]!, ports });
  });
  return rules;
}
