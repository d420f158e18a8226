/**
 * busybox telnetd as the real server's Telnet daemon, one per Telnet probe port. It runs in a UTS
 * namespace of its own whose hostname is the server's name, so `hostname` in a session names the
 * server as on a real host. Its login program is a small script: `login:` and `Password:` (echo off),
 * the probe's credentials accepted, anything else `Login incorrect`; then a shell whose prompt is
 * `<name>$ `. The banner (`-f`) names the server too. telnetd needs a pty (the guest mounts devpts);
 * it listens with a backlog of 1, so bursts of connects see SYN retries, as with the real thing.
 */
import path from 'node:path';
import { telnetCredentials } from '../../../probes/credentials.js';
import type { TelnetProbeSpec } from '../../../suite/probes/telnet.js';
import { shellQuote } from '../../../core/shell-words.js';
import { inBackground, portsOf, type Daemon } from './daemon.js';

export function telnetBannerText(name: string): string {
  return `${name} telnet (lvs-harness kernel lab)\n`;
}

/**
 * The login program: a shell script, since the guest has no writable /etc for a real account. The
 * prompt goes through `ENV` (`shrc`): dash, Debian's sh, ignores a PS1 from the environment for root.
 */
export function loginScript(login: { username: string; password: string } | null, shrc: string): string {
  const shell = `ENV=${shellQuote(shrc)} exec /bin/sh -i`;
  if (login === null) return `#!/bin/sh\n${shell}\n`;
  return [
    '#!/bin/sh',
    "printf 'login: '",
    'read -r user',
    'stty -echo',
    "printf 'Password: '",
    'read -r pass',
    'stty echo',
    'echo',
    `if [ "$user" = ${shellQuote(login.username)} ] && [ "$pass" = ${shellQuote(login.password)} ]; then`,
    `  ${shell}`,
    'fi',
    'echo',
    "echo 'Login incorrect'",
    '',
  ].join('\n');
}

export const telnetDaemon: Daemon<TelnetProbeSpec> = ({ name, probes, dir }) =>
  portsOf(probes).map((port) => {
    const at = path.join(dir, String(port));
    const login = path.join(at, 'login.sh');
    const issue = path.join(at, 'issue');
    const shrc = path.join(at, 'shrc');
    const probe = probes.find((p) => p.port === port)!;
    const telnetd = ['busybox', 'telnetd', '-F', '-p', String(port), '-l', login, '-f', issue];
    return {
      label: `busybox telnetd on ${name} port ${port}`,
      files: {
        [login]: { text: loginScript(telnetCredentials(probe), shrc), mode: 0o755 },
        [shrc]: { text: `PS1=${shellQuote(`${name}$ `)}\n` },
        [issue]: { text: telnetBannerText(name) },
      },
      start: inBackground(['unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', name, ...telnetd], {
        pidFile: path.join(at, 'pid'),
        log: path.join(at, 'log'),
        port,
      }),
      pidFile: path.join(at, 'pid'),
    };
  });
