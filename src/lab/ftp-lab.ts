/**
 * The FTP side of the embedded lab for a suite: an FTP server on each FTP probe's control port of
 * every real server, with the passive range the probes give and PASV announcing the VIP; the passive
 * ports the director must listen on; and the control port the director treats as the kernel treats
 * 21 (unprivileged userspace cannot listen on 21, so a suite's FTP port, e.g. 2121, stands for it).
 */
import type { SuiteSpec } from '../suite/schema.js';
import { toRange } from '../net/port-range.js';
import type { FtpServerSpec } from './sim/ftp-server.js';

export interface FtpLab {
  servers: FtpServerSpec[];
  passivePorts: number[];
  servicePort: number | undefined;
}

export function ftpLabFor(spec: SuiteSpec): FtpLab {
  const byPort = new Map<number, FtpServerSpec>();
  for (const probe of spec.probes) {
    if (probe.type !== 'ftp') continue;
    const passive = probe.passivePorts === undefined ? null : toRange(probe.passivePorts);
    const known = byPort.get(probe.port);
    if (known === undefined || known.passive === null) byPort.set(probe.port, { port: probe.port, passive, advertise: spec.vip });
  }
  const servers = [...byPort.values()];
  const passivePorts = servers.flatMap(({ passive: r }) => (r === null ? [] : Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i)));
  return { servers, passivePorts, servicePort: servers[0]?.port };
}
