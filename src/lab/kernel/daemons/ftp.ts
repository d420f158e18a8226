/**
 * vsftpd as the real server's FTP daemon, one per FTP probe control port. As in DR it listens on the
 * VIP (on the server's `lo`), announces the VIP in PASV (pasv_address), takes passive data
 * connections in the suite's range and opens active ones from VIP:20 straight to the client. Its
 * 220 greeting and `whoami.txt` name the server.
 *
 * Logins are local accounts, as the probes' credentials say: the guest's /etc is the host's, read-only,
 * so each vsftpd runs in a mount namespace of its own where copies of /etc/passwd and /etc/shadow with
 * the accounts added are bind-mounted over the real ones, and Debian's own PAM stack (pam_unix) checks
 * the password against an `openssl passwd -6` hash. A login without a password gets an empty hash
 * (Debian's pam_unix is `nullok`). Accounts own the FTP root, so STOR and DELE work.
 * seccomp_sandbox=NO: vsftpd's sandbox kills sessions in a namespace-heavy lab (client-libs.md).
 */
import path from 'node:path';
import { toRange } from '../../../net/port-range.js';
import { loginPassword } from '../../../probes/credentials.js';
import type { FtpProbeSpec } from '../../../suite/probes/ftp.js';
import { shellQuote } from '../../../core/shell-words.js';
import { inBackground, portsOf, type Daemon, type DaemonFile } from './daemon.js';

/** Every lab account has this uid, far from any the host has, so each owns the FTP root. */
const LAB_UID = 60000;

export function vsftpdConfig(o: { name: string; vip: string; port: number; passive: string | undefined; dir: string }): string {
  const range = o.passive === undefined ? null : toRange(o.passive);
  return [
    'listen=YES',
    'listen_ipv6=NO',
    `listen_address=${o.vip}`,
    `listen_port=${o.port}`,
    // In the foreground, so the lab knows its pid (vsftpd writes no pid file).
    'background=NO',
    'seccomp_sandbox=NO',
    // Debian's network isolation (clone(CLONE_NEWNET) per session) stalled EPSV after a local login here.
    'isolate_network=NO',
    'anonymous_enable=NO',
    'local_enable=YES',
    'write_enable=YES',
    'local_umask=022',
    'pam_service_name=vsftpd',
    `secure_chroot_dir=${path.join(o.dir, 'empty')}`,
    ...(range === null
      ? ['pasv_enable=NO']
      : ['pasv_enable=YES', `pasv_min_port=${range.from}`, `pasv_max_port=${range.to}`, `pasv_address=${o.vip}`]),
    'connect_from_port_20=YES',
    `ftpd_banner=FTP server ${o.name} ready`,
    'xferlog_enable=NO',
    '',
  ].join('\n');
}

interface Account {
  username: string;
  /** A file holding the password, read by openssl; null for an empty password. */
  passwordFile: string | null;
}

/** Runs in the daemon's own mount and UTS namespaces: accounts, FTP root, hostname, then vsftpd. */
export function vsftpdStartScript(o: { name: string; dir: string; conf: string; accounts: readonly Account[] }): string {
  const q = shellQuote;
  const root = path.join(o.dir, 'root');
  const entry = (a: Account): string[] => [
    `printf '%s:x:${LAB_UID}:${LAB_UID}::%s:/bin/sh\\n' ${q(a.username)} ${q(root)} >> passwd`,
    `hash=${a.passwordFile === null ? "''" : `$(openssl passwd -6 -stdin < ${q(a.passwordFile)})`}`,
    `printf '%s:%s:19000:0:99999:7:::\\n' ${q(a.username)} "$hash" >> shadow`,
  ];
  return [
    'set -e',
    `cd ${q(o.dir)}`,
    'mkdir -p empty',
    'cat /etc/passwd > passwd',
    '(umask 077 && cat /etc/shadow > shadow)',
    ...o.accounts.flatMap(entry),
    'mount --bind passwd /etc/passwd',
    'mount --bind shadow /etc/shadow',
    `chown -R ${LAB_UID}:${LAB_UID} ${q(root)}`,
    `hostname ${q(o.name)}`,
    `exec vsftpd ${q(o.conf)}`,
    '',
  ].join('\n');
}

export const ftpDaemon: Daemon<FtpProbeSpec> = ({ name, vip, probes, dir }) =>
  portsOf(probes).map((port) => {
    const at = path.join(dir, String(port));
    const mine = probes.filter((p) => p.port === port);
    const conf = path.join(at, 'vsftpd.conf');
    const script = path.join(at, 'start.sh');
    const files: Record<string, DaemonFile> = {
      [conf]: { text: vsftpdConfig({ name, vip, port, passive: mine.find((p) => p.passivePorts)?.passivePorts, dir: at }) },
      [path.join(at, 'root', 'whoami.txt')]: { text: `${name}\n` },
    };
    const accounts = [...new Map(mine.map((p) => [p.login.username, p])).values()].map((p, i): Account => {
      const password = loginPassword(p.login, p.name);
      const passwordFile = password === undefined || password === '' ? null : path.join(at, `password-${i}`);
      if (passwordFile !== null) files[passwordFile] = { text: password!, mode: 0o600 };
      return { username: p.login.username, passwordFile };
    });
    files[script] = { text: vsftpdStartScript({ name, dir: at, conf, accounts }) };
    const pidFile = path.join(at, 'pid');
    return {
      label: `vsftpd on ${name} port ${port}`,
      files,
      start: inBackground(['unshare', '--mount', '--uts', 'sh', script], { pidFile, log: path.join(at, 'log'), port }),
      pidFile,
    };
  });
