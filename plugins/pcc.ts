/**
 * pcc: persistent client connections (a port-0 service). Every client group (client address under
 * the persistence netmask) lands on one real server for all its connections to any port of the VIP,
 * as long as its template lives.
 */
import { persistenceCheck } from '../src/analysis/persistence-check.js';

export default persistenceCheck({
  name: 'pcc',
  description: 'each client lands on one real server for all its connections to any port, within the persistence timeout',
  unit: 'client',
  keyPart: () => '',
  scope: (_suite, ports) => `across ports ${ports.join(', ')}`,
  rival: 'per-port',
});
