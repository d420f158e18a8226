/**
 * ppc: persistent port connections. Every client group lands on one real server per service port;
 * different ports may go to different servers.
 */
import { persistenceCheck } from '../src/analysis/persistence-check.js';

export default persistenceCheck({
  name: 'ppc',
  description: 'each client lands on one real server per service port, within the persistence timeout',
  unit: 'client-port pair',
  keyPart: (o) => `:${o.target.port}`,
  scope: () => 'per port',
  rival: 'all-ports',
});
