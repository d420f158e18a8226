/**
 * A real daemon on a kernel-lab real server: the files it needs and the command that starts it in
 * the server's namespace. One file per protocol (http.ts, later telnet and ftp) builds one of these.
 */
export interface DaemonPlan {
  /** Shown in errors: `nginx on web1`. */
  label: string;
  /** Path -> content, written before `start` runs. */
  files: Record<string, string>;
  /** Argument vector run inside the real server's namespace; it must return once the daemon is up. */
  start: string[];
  /** Where the daemon writes its pid, so the lab can stop it (deleting a namespace kills nothing). */
  pidFile: string;
}

export interface DaemonContext {
  /** The real server's name: how it must identify itself. */
  name: string;
  /** Ports the suite's probes of this protocol use. */
  ports: readonly number[];
  /** A private writable folder for the daemon's config, logs and pid. */
  dir: string;
}
