/** The built-in checks, by the name a suite uses for them. */
import type { CheckPlugin } from '../src/model/plugin.js';
import config from './config.js';
import connections from './connections.js';
import disruption from './disruption.js';
import drain from './drain.js';
import expiry from './expiry.js';
import failover from './failover.js';
import ftp from './ftp.js';
import fwmark from './fwmark.js';
import pcc from './pcc.js';
import persistenceTimeout from './persistence-timeout.js';
import ppc from './ppc.js';
import weights from './weights.js';

export const builtInChecks: ReadonlyMap<string, CheckPlugin> = new Map(
  [config, connections, disruption, drain, expiry, failover, ftp, fwmark, pcc, persistenceTimeout, ppc, weights].map((p) => [p.name, p as CheckPlugin]),
);
