/**
 * fwmark: persistence over a firewall mark. Every client group lands on one real server for all its
 * connections to any port the mark covers (the tutorial's FTP recipe: the control port and the
 * passive range under one mark), FTP data connections included, as long as its template lives.
 */
import { persistenceCheck } from '../src/analysis/persistence-check.js';
import { toRange } from '../src/net/port-range.js';
import type { SuiteView } from '../src/model/plugin.js';

const marked = (suite: SuiteView, port: number): boolean =>
  (suite.service.ports ?? []).map(toRange).some((r) => port >= r.from && port <= r.to);

export default persistenceCheck({
  name: 'fwmark',
  description: 'each client lands on one real server for all its connections to the ports of the firewall mark, within the persistence timeout',
  unit: 'client',
  keyPart: () => '',
  unfit: (suite) => (suite.service.kind === 'fwmark' ? null : `the suite's service is ${suite.service.kind}, not fwmark`),
  covers: (o, suite) => marked(suite, o.target.port),
  rival: 'per-port',
  scope: (suite, ports) => `across the ports of fwmark ${suite.service.fwmark} (${ports.join(', ')})`,
});
