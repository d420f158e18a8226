/**
 * A DirectorSnapshot in ipvsadm's own layouts, sorted as ipvsadm sorts them: the config with the
 * live active/inactive counts, then the connection table and the timeouts when the snapshot has them.
 */
import { formatConnections, formatListing, formatTimeouts } from './ipvsadm-views.js';
import type { DirectorSnapshot } from './model.js';

export function snapshotListing(snapshot: DirectorSnapshot): string {
  const parts = [formatListing(snapshot)];
  if (snapshot.connections !== null) parts.push(formatConnections(snapshot));
  if (snapshot.timeouts !== null) parts.push(formatTimeouts(snapshot));
  return parts.join('\n');
}
