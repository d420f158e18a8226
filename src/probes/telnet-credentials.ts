/**
 * The credentials a Telnet probe logs in with. A password named by `passwordEnv` is read from the
 * environment when the run starts, by the probe and by the embedded lab alike (the lab's telnetd
 * accepts what the probe will send), and is never copied into the suite or its results.
 */
import { createMissingSecretError } from '../core/errors.js';
import type { TelnetCredentials, TelnetProbeSpec } from '../suite/probes/telnet.js';

export function telnetCredentials(probe: TelnetProbeSpec, env: NodeJS.ProcessEnv = process.env): TelnetCredentials | null {
  if (probe.login === undefined) return null;
  const { username, password, passwordEnv } = probe.login;
  if (password !== undefined) return { username, password };
  const fromEnv = env[passwordEnv!];
  if (fromEnv === undefined) throw createMissingSecretError(passwordEnv!, `probe ${probe.name}: login.passwordEnv`);
  return { username, password: fromEnv };
}
