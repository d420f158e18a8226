/**
 * `sessions:` in a suite: long-lived sessions held open for the whole traffic and probed every few
 * seconds, so that a change's effect on work already in flight is seen beside its effect on new
 * connections. An HTTP probe's session is one kept-alive connection reused for a request each time;
 * a Telnet probe's is one logged-in shell given its `identify.command` each time.
 *
 *   sessions:
 *     - { probe: http, count: 4, everySeconds: 0.5 }
 *     - { probe: telnet, count: 2, everySeconds: 1 }
 */
import { z } from 'zod';
import { shortName } from './fields.js';

export const session = z.strictObject({
  probe: shortName,
  count: z.int().min(1).max(64).default(1),
  everySeconds: z.number().min(0.1).max(60).default(1),
});

export type SessionSpec = z.output<typeof session>;
