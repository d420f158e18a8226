import type { RunningRealServer } from './real-server.js';

/**
 * `rs` with more servers started beside it, in turn: one real server to describe and to kill. If one
 * cannot start, `rs` and those already started are killed before the error goes on.
 */
export async function withServers(
  rs: RunningRealServer,
  starters: readonly (() => Promise<RunningRealServer>)[],
): Promise<RunningRealServer> {
  const started: RunningRealServer[] = [];
  const kill = async (): Promise<void> => {
    await Promise.all([rs.kill(), ...started.map((s) => s.kill())]);
  };
  try {
    for (const start of starters) started.push(await start());
  } catch (err) {
    await kill();
    throw err;
  }
  return { name: rs.name, address: rs.address, ports: [rs.ports, ...started.map((s) => s.ports)].flat(), kill };
}
