import type { ChangeAction } from '../model/change-window.js';

/** The operator's short wording of a change: `weight web2 -> 0`, `stop web1 (reset)`. */
export function changeLabel(a: ChangeAction): string {
  switch (a.kind) {
    case 'weight':
      return `weight ${a.server} -> ${a.to}`;
    case 'remove':
      return `remove ${a.server}`;
    case 'add':
      return `add ${a.server} (${a.address}, weight ${a.weight})`;
    case 'stop':
      return `stop ${a.server} (${a.mode})`;
    case 'start':
      return `start ${a.server}`;
    case 'sysctl':
      return `sysctl ${Object.entries(a.values).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`;
    case 'apply':
      return `apply ${a.file}`;
    case 'reload':
      return 'reload';
  }
}
