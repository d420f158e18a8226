/**
 * config: the director, as read before any traffic, is configured as the suite expects: its
 * services, schedulers, persistence and netmask, forwarding method, real servers and weights, and
 * the connection timeouts, over the services its traffic reaches (src/director/suite-reach.ts: a
 * shared director's other VIPs are counted, not compared). Every difference is named as an operator reads it. A drift is a failed
 * check, not a reason to skip the traffic: the other checks then say what the drift does.
 */
import { z } from 'zod';
import { diffConfig } from '../src/director/config-diff.js';
import { suiteReach } from '../src/director/suite-reach.js';
import { directorConfigFor } from '../src/lab/director-config.js';
import { defineCheck } from '../src/model/plugin.js';

export default defineCheck({
  name: 'config',
  description: "the director's configuration before the traffic matches the suite's service (drift check)",
  options: z.strictObject({}),
  create(_options, suite) {
    return {
      verdict({ director }) {
        const expected = directorConfigFor(suite.vip, suite.service);
        const servers = expected.services.reduce((n, s) => n + s.realServers.length, 0);
        const expectedText = `the director as the suite describes it (${expected.services.length} service(s), ${servers} real server entries, timeouts)`;
        const reading = director.before;
        if (reading === null) {
          return { pass: false, expected: expectedText, seen: 'no director was read: nothing to compare (with --lab none, give --director CMD)' };
        }
        const reached = reading.config.services.filter(suiteReach(expected, suite.vip));
        const others = reading.config.services.length - reached.length;
        const differences = diffConfig({ ...reading.config, services: reached, timeouts: reading.timeouts ?? undefined }, expected);
        const aside = others > 0 ? ` (${others} other service(s) on the director, which the suite's traffic does not reach: not compared)` : '';
        return {
          pass: differences.length === 0,
          expected: expectedText,
          seen: `${reading.source.description}: ${differences.length === 0 ? 'no difference' : differences.join('; ')}${aside}`,
          examples: differences.slice(0, 20).map((detail) => ({ client: '(director)', detail })),
          data: { differences, source: reading.source, otherServices: others },
        };
      },
    };
  },
});
