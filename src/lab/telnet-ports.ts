/**
 * The telnet ports of the embedded lab for a suite: one per telnet probe port, each accepting the
 * credentials that probe will log in with (read from the environment now if the suite names a
 * variable), so the lab lets in exactly what the suite sends.
 */
import { telnetCredentials } from '../probes/credentials.js';
import type { ProbeSpec } from '../suite/schema.js';
import type { TelnetPort } from './sim/telnet-server.js';

export function telnetPortsFor(probes: readonly ProbeSpec[]): TelnetPort[] {
  const byPort = new Map<number, TelnetPort>();
  for (const probe of probes) {
    if (probe.type === 'telnet' && !byPort.has(probe.port)) byPort.set(probe.port, { port: probe.port, login: telnetCredentials(probe) });
  }
  return [...byPort.values()];
}
