/**
 * Starts the embedded lab for a suite: the director configured as the suite expects (or from a
 * director config given instead), real servers speaking each probe's protocol on its port. The
 * embedded lab lives on loopback only, so every address of the suite must be in 127.0.0.0/8.
 */
import { createNotLoopbackError } from '../core/errors.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { LabFactory } from './lab.js';
import { isLoopback } from '../net/ipv4.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { directorConfigFor } from './director-config.js';
import { startEmbeddedLab } from './embedded-lab.js';
import { telnetPortsFor } from './telnet-ports.js';
import { ftpLabFor } from './ftp-lab.js';

export function embeddedLabFactory(override?: (suite: LoadedSuite) => DirectorConfig): LabFactory {
  return async (suite) => {
    assertLoopback(suite);
    const ftp = ftpLabFor(suite.spec);
    const ports = [...new Set([...suite.spec.probes.map((p) => p.port), ...ftp.passivePorts])];
    return startEmbeddedLab({
      config: override ? override(suite) : directorConfigFor(suite.spec.vip, suite.spec.service),
      listenPorts: ports,
      httpPorts: [...new Set(suite.spec.probes.filter((p) => p.type === 'http').map((p) => p.port))],
      telnetPorts: telnetPortsFor(suite.spec.probes),
      ftpServers: ftp.servers,
      ftpServicePort: ftp.servicePort,
    });
  };
}

function assertLoopback(suite: LoadedSuite): void {
  const outside = [suite.spec.vip, ...suite.spec.service.realServers.map((rs) => rs.address), ...suite.sources].filter((a) => !isLoopback(a));
  if (outside.length > 0) throw createNotLoopbackError(suite.file, outside);
}
