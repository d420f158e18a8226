/**
 * The suite's probes without their secrets. Whatever leaves the runner (the suite view handed to
 * plugins, and through their verdicts the results files) is built from this, so a password written
 * in a suite file never reaches a report.
 */
import { REDACTED } from './probes/telnet.js';
import type { ProbeSpec } from './schema.js';

export function redactProbe(probe: ProbeSpec): ProbeSpec {
  if ((probe.type !== 'telnet' && probe.type !== 'ftp') || probe.login?.password === undefined) return probe;
  return { ...probe, login: { ...probe.login, password: REDACTED } };
}
