/**
 * ppc: persistent port connections. Every client group lands on one real server per service port;
 * different ports may go to different servers.
 */
import { z } from 'zod';
import { analyseStickiness, switchExamples } from '../src/analysis/stickiness.js';
import { stickinessOutcome } from '../src/analysis/stickiness-outcome.js';
import { defineCheck } from '../src/model/plugin.js';
import { maskAddress } from '../src/suite/address-pool.js';

export default defineCheck({
  name: 'ppc',
  description: 'each client lands on one real server per service port, within the persistence timeout',
  options: z.strictObject({}),
  create(_options, suite) {
    return {
      verdict({ observations }) {
        const p = suite.service.persistence;
        if (!p) return { pass: false, expected: 'a persistent service', seen: 'the suite declares no persistence for its service' };
        const report = analyseStickiness(
          observations,
          (o) => `${maskAddress(o.client.address, p.netmask)}:${o.target.port}`,
          p.timeout * 1000,
        );
        return stickinessOutcome(report, {
          expected: `each client (netmask ${p.netmask}) on one real server per port within ${p.timeout} s`,
          unit: 'client and port',
          examples: switchExamples(report.violations),
        });
      },
    };
  },
});
