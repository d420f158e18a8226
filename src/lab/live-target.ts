/**
 * `--lab none`: the suite's VIP is a real director, reached from this host. Before any traffic the
 * host must own every source address (else each connection fails with EADDRNOTAVAIL and the run
 * would blame the VIP), and the VIP must accept a TCP connection on at least one probe port.
 */
import { connect } from 'node:net';
import { createSourcesNotOwnedError, createUnreachableError } from '../core/errors.js';
import { addAddressCommands, missingAddresses } from '../net/host-addresses.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { LabFactory } from './lab.js';

/** How long the VIP has to accept one connection on some probe port. */
const PROBE_TIMEOUT_MS = 3000;

export function assertSourcesOwned(suite: LoadedSuite): void {
  const missing = missingAddresses(suite.sources);
  if (missing.length > 0) throw createSourcesNotOwnedError(suite.file, missing, addAddressCommands(missing));
}

/** Resolves with whether host:port accepted (or accepted and reset) a connection from `localAddress` within the timeout. */
function accepts(host: string, port: number, localAddress: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    // A reset is an answer: something accepted and dropped the connection, maybe before the connect
    // completed here (the kernel then reports the RST as the connect's error).
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNRESET'));
  });
}

/** Starts nothing: checks that the suite's VIP answers, then the suite runs against it as it is. */
export function liveTargetFactory(timeoutMs = PROBE_TIMEOUT_MS): LabFactory {
  return async (suite) => {
    const ports = [...new Set(suite.spec.probes.map((p) => p.port))];
    const answers = await Promise.all(ports.map((port) => accepts(suite.spec.vip, port, suite.sources[0]!, timeoutMs)));
    if (!answers.includes(true)) {
      throw createUnreachableError(suite.spec.vip, `no probe port (${ports.join(', ')}) accepted a TCP connection from ${suite.sources[0]} within ${timeoutMs / 1000} s; nothing else was sent`);
    }
    return null;
  };
}
