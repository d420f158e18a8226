/**
 * nginx as the real server's HTTP daemon, answering as the embedded lab's real servers do:
 * `X-Real-Server: <name>` and the body `<name>\n`, on every HTTP probe port. It listens on 0.0.0.0,
 * which covers the VIP on `lo` (DR) as well as the server's own address. Every path nginx would
 * write to is moved into `dir`, since the guest's root file system is the host's, read-only.
 */
import path from 'node:path';
import type { HttpProbeSpec } from '../../../suite/schema.js';
import { portsOf, type Daemon } from './daemon.js';

export const httpDaemon: Daemon<HttpProbeSpec> = ({ name, probes, dir }) => {
  const conf = path.join(dir, 'nginx.conf');
  const pidFile = path.join(dir, 'nginx.pid');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, t)};`);
  const text = [
    'worker_processes 1;',
    `pid ${pidFile};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    '  access_log off;',
    ...temp,
    '  server {',
    ...portsOf(probes).map((p) => `    listen ${p};`),
    '    location / {',
    '      default_type text/plain;',
    `      add_header X-Real-Server ${name} always;`,
    `      return 200 "${name}\\n";`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  // nginx forks into the background itself, once it listens, and writes its own pid file.
  return [{ label: `nginx on ${name}`, files: { [conf]: { text } }, start: ['nginx', '-c', conf, '-e', path.join(dir, 'error.log')], pidFile }];
};
