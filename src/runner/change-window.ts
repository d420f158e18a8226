import { buildTimeline, type TimelineTally } from '../analysis/timeline.js';
import type { LabSnapshot } from '../lab/lab.js';
import type { ChangeWindow } from '../model/change-window.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { WindowTraffic } from './execute-window.js';

/** The suite's change window with its timeline, or undefined when the suite has none. */
export function changeWindow(suite: LoadedSuite, traffic: WindowTraffic, connections: TimelineTally, lab: LabSnapshot | null): ChangeWindow | undefined {
  if (traffic.changes === null) return undefined;
  const added = traffic.changes.flatMap((c) => (c.action.kind === 'add' ? [c.action.server] : []));
  const servers = [...new Set([...suite.spec.service.realServers.map((rs) => rs.name), ...added])];
  const directorChoice = new Map<string, string>();
  for (const r of lab?.history ?? []) if (r.realServer !== null) directorChoice.set(r.client, r.realServer);
  const timeline = buildTimeline({ connections, sessions: traffic.sessions, changes: traffic.changes, servers, directorChoice });
  return { changes: traffic.changes, sessions: traffic.sessions, timeline };
}
