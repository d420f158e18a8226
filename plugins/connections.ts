/**
 * connections: every connection through the VIP succeeds and names its real server. Added to every
 * suite unless the suite lists it with its own options, because refused, reset or silent
 * connections must never pass a run quietly.
 */
import { z } from 'zod';
import { defineCheck } from '../src/model/plugin.js';

export default defineCheck({
  name: 'connections',
  description: 'every connection succeeds and is identified (up to maxFailed failures allowed)',
  options: z.strictObject({ maxFailed: z.int().min(0).default(0) }),
  create(options) {
    return {
      verdict({ observations }) {
        const failed = observations.filter((o) => o.error !== null);
        const byCode = new Map<string, number>();
        for (const o of failed) byCode.set(o.error!.code, (byCode.get(o.error!.code) ?? 0) + 1);
        const reasons = [...byCode].map(([code, n]) => `${code} x${n}`).join(', ');
        return {
          pass: observations.length > 0 && failed.length <= options.maxFailed,
          expected: `at most ${options.maxFailed} failed connection(s)`,
          seen:
            observations.length === 0
              ? 'no connection was made'
              : `${failed.length} of ${observations.length} failed${reasons ? ` (${reasons})` : ''}`,
          examples: failed.slice(0, 5).map((o) => ({
            client: `${o.client.address}:${o.client.port ?? '?'}`,
            detail: `${o.probe} to ${o.target.address}:${o.target.port}${o.realServer ? ` via ${o.realServer}` : ''}: ${o.error!.code}: ${o.error!.message}`,
          })),
          data: { failed: failed.length, total: observations.length, byCode: Object.fromEntries(byCode) },
        };
      },
    };
  },
});
