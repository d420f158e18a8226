/**
 * pcc: persistent client connections (a port-0 service). Every client group (client address under
 * the persistence netmask) lands on one real server for all its connections to any port of the VIP,
 * as long as its template lives.
 */
import { z } from 'zod';
import { analyseStickiness, switchExamples } from '../src/analysis/stickiness.js';
import { defineCheck } from '../src/model/plugin.js';
import { maskAddress } from '../src/suite/address-pool.js';
import { stickinessOutcome } from '../src/analysis/stickiness-outcome.js';

export default defineCheck({
  name: 'pcc',
  description: 'each client lands on one real server for all its connections to any port, within the persistence timeout',
  options: z.strictObject({}),
  create(_options, suite) {
    return {
      verdict({ observations }) {
        const p = suite.service.persistence;
        if (!p) return { pass: false, expected: 'a persistent service', seen: 'the suite declares no persistence for its service' };
        const report = analyseStickiness(observations, (o) => maskAddress(o.client.address, p.netmask), p.timeout * 1000);
        const ports = new Set(observations.map((o) => o.target.port));
        return stickinessOutcome(report, {
          expected: `each client (netmask ${p.netmask}) on one real server across ports ${[...ports].join(', ')} within ${p.timeout} s`,
          unit: 'client',
          examples: switchExamples(report.violations),
        });
      },
    };
  },
});
