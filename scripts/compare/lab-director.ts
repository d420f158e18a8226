/**
 * Runs the embedded lab's director alone, in its own process so bench:compare can count its CPU as it
 * counts HAProxy's: `lab-director.ts VIP PORT name=address...`, a non-persistent rr service (as HAProxy's
 * roundrobin) whose real servers answer on the same port. Stops on SIGTERM.
 */
import { startDirector } from '../../src/lab/sim/director.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';

const [vip = '', port = '', ...servers] = process.argv.slice(2);
const config: DirectorConfig = {
  services: [
    {
      protocol: 'tcp',
      vip,
      port: Number(port),
      scheduler: 'rr',
      persistence: null,
      forward: 'masq',
      realServers: servers.map((s) => {
        const [name = '', address = ''] = s.split('=');
        return { name, address, weight: 1 };
      }),
    },
  ],
  fwmarkRules: [],
};
const director = await startDirector(config, IpvsTable.fromConfig(config), []);
process.once('SIGTERM', () => void director.close().then(() => process.exit(0)));
