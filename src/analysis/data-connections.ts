import type { Observation } from '../model/observation.js';

/**
 * The observations plus one per FTP data connection, each standing under its session's control
 * connection (same probe target and sequence number): data connections share the control
 * connection's persistence template (fwmark, port 0, or the FTP service's), so persistence checks
 * judge them with it.
 */
export function withDataConnections(observations: readonly Observation[]): Observation[] {
  return observations.flatMap(({ data, ...control }) => [
    control,
    ...(data ?? []).map((d) => ({
      ...control,
      probe: `${control.probe} (${d.command} data connection)`,
      client: d.client,
      realServer: d.realServer,
      startMs: d.startMs,
      endMs: d.endMs,
      // Its own connect time was not recorded: the control connection's says nothing of it.
      timings: { ...control.timings, connectMs: null },
      error: d.error,
    })),
  ]);
}
