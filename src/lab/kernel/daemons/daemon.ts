/**
 * A real daemon on a kernel-lab real server: the files it needs and the command that starts it in
 * the server's namespace. One file per protocol (http.ts, telnet.ts, ftp.ts) turns the suite's
 * probes of that protocol into one plan per process to start.
 */
import type { ProbeSpec } from '../../../suite/schema.js';

export interface DaemonPlan {
  /** Shown in errors: `nginx on web1`. */
  label: string;
  /** Path -> content, written before `start` runs. */
  files: Record<string, DaemonFile>;
  /** Argument vector run inside the real server's namespace; it must return once the daemon is up. */
  start: string[];
  /** Where the daemon's pid is, so the lab can stop it (deleting a namespace kills nothing). */
  pidFile: string;
}

export interface DaemonFile {
  text: string;
  /** 0o644 unless given (a login program must be executable). */
  mode?: number;
}

export interface DaemonContext<P extends ProbeSpec = ProbeSpec> {
  /** The real server's name: how it must identify itself. */
  name: string;
  /** The VIP, which a DR real server holds on `lo` and serves on. */
  vip: string;
  /** The suite's probes of this daemon's protocol. */
  probes: readonly P[];
  /** A private writable folder for the daemon's config, logs and pid. */
  dir: string;
}

export type Daemon<P extends ProbeSpec = ProbeSpec> = (ctx: DaemonContext<P>) => DaemonPlan[];

/** The distinct ports of `probes`, in suite order. */
export function portsOf(probes: readonly ProbeSpec[]): number[] {
  return [...new Set(probes.map((p) => p.port))];
}

/** How long a daemon that stays in the foreground may take to listen, under TCG. */
const LISTEN_WAIT_TENTHS = 300;

/**
 * Starts `argv` (a daemon that stays in the foreground and writes no pid file) in the background,
 * keeps its pid, and returns once it listens on `port`; if it dies first, fails with its log.
 * `0<>log`: vsftpd writes its startup errors to fd 0, where a session's control connection would be.
 */
export function inBackground(argv: readonly string[], o: { pidFile: string; log: string; port: number }): string[] {
  const script = [
    '"$@" 0<>"$LOG" >>"$LOG" 2>&1 &',
    'pid=$!; echo "$pid" > "$PID_FILE"',
    `i=0; while [ "$i" -lt ${LISTEN_WAIT_TENTHS} ]; do`,
    '  ss -Hltn "sport = :$PORT" | grep -q . && exit 0',
    '  kill -0 "$pid" 2>/dev/null || { cat "$LOG" >&2; exit 1; }',
    '  sleep 0.1; i=$((i + 1))',
    'done',
    'echo "not listening on port $PORT" >&2; exit 1',
  ].join('\n');
  return ['env', `LOG=${o.log}`, `PID_FILE=${o.pidFile}`, `PORT=${o.port}`, 'sh', '-c', script, 'sh', ...argv];
}
