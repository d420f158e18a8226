import type { Observation } from '../model/observation.js';
import type { ConnectionResult } from '../probes/probe.js';
import type { ProbeSpec } from '../suite/schema.js';

/** A probe's result as the Observation the runner reports; times count from `t0` (performance.now()). */
export function toObservation(
  r: ConnectionResult,
  at: { seq: number; round: number; probe: ProbeSpec; client: string; host: string; t0: number },
): Observation {
  return {
    seq: at.seq,
    round: at.round,
    probe: at.probe.name,
    protocol: at.probe.type,
    client: { address: at.client, port: r.clientPort },
    target: { address: at.host, port: at.probe.port },
    realServer: r.realServer,
    startMs: r.startedAt - at.t0,
    endMs: r.endedAt - at.t0,
    timings: { connectMs: r.connectMs, firstByteMs: r.firstByteMs, totalMs: r.endedAt - r.startedAt },
    requests: r.requests,
    bytes: { sent: r.bytesSent, received: r.bytesReceived },
    status: r.status,
    error: r.error,
    // Data connection times are relative to their session; observations count from the suite's start.
    ...(r.data ? { data: r.data.map((d) => ({ ...d, startMs: d.startMs + r.startedAt - at.t0, endMs: d.endMs + r.startedAt - at.t0 })) } : {}),
  };
}
