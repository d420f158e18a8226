/**
 * Process exit codes of `lvs-harness`. They are part of the public contract (README "Exit codes"):
 * CI scripts branch on them, so a value never changes meaning once released.
 * Node itself exits 1 on an uncaught crash, so no harness outcome uses 1.
 */
export const ExitCode = {
  /** Every check of every suite passed. */
  Passed: 0,
  /** The run completed and at least one check failed. */
  ChecksFailed: 10,
  /** A suite file, a director config or a command-line argument is wrong; no traffic was sent. */
  InvalidInput: 11,
  /** The target could not be reached at all (no connection to the VIP succeeded). */
  TargetUnreachable: 12,
  /** The run was stopped by SIGINT/SIGTERM; results so far were written. */
  Aborted: 13,
  /** A check plugin threw or never settled; its verdict is unknown. */
  PluginError: 14,
  /** The machine lacks what the requested lab needs (root, packages). */
  InvalidEnvironment: 15,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
