/**
 * The credentials a Telnet or FTP probe logs in with. A password named by `passwordEnv` is read from
 * the environment at run time, by the probes and by the labs alike (the labs' servers accept what the
 * probes will send), and is never copied into the suite or its results.
 */
import { createMissingSecretError } from '../core/errors.js';
import type { Login } from '../suite/fields.js';
import type { TelnetCredentials, TelnetProbeSpec } from '../suite/probes/telnet.js';

/** The password given inline or by its variable; undefined when the login has none (anonymous FTP). */
export function loginPassword(login: Login, probeName: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (login.passwordEnv === undefined) return login.password;
  const value = env[login.passwordEnv];
  if (value === undefined) throw createMissingSecretError(login.passwordEnv, `probe ${probeName}: login.passwordEnv`);
  return value;
}

export function telnetCredentials(probe: TelnetProbeSpec, env: NodeJS.ProcessEnv = process.env): TelnetCredentials | null {
  if (probe.login === undefined) return null;
  return { username: probe.login.username, password: loginPassword(probe.login, probe.name, env) ?? '' };
}
