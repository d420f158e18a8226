import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * Every error the harness reports to a user is a HarnessError built by one of the factories below,
 * so it carries a stable code (tests assert on it), the exit code the CLI uses, and a hint that says
 * what to do about it.
 */
export const ErrorCode = {
  ABORTED: 'ABORTED',
  BENCH_BROKE_OFF: 'BENCH_BROKE_OFF',
  BAD_ARGUMENT: 'BAD_ARGUMENT',
  BAD_DIRECTOR_CONFIG: 'BAD_DIRECTOR_CONFIG',
  DIRECTOR_READ_FAILED: 'DIRECTOR_READ_FAILED',
  INVALID_ENVIRONMENT: 'INVALID_ENVIRONMENT',
  INVALID_SUITE: 'INVALID_SUITE',
  KERNEL_LAB_FAILED: 'KERNEL_LAB_FAILED',
  LAB_START_FAILED: 'LAB_START_FAILED',
  PLUGIN_ERROR: 'PLUGIN_ERROR',
  SHARDS_MISMATCH: 'SHARDS_MISMATCH',
  TARGET_UNREACHABLE: 'TARGET_UNREACHABLE',
  UNDERSIZED_SUITE: 'UNDERSIZED_SUITE',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where in an input file a problem is: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface SuiteProblem extends SourceLocation {
  /** Dotted path of the offending field, e.g. `service.realServers[1].weight`. */
  field: string;
  /** What was expected there, in words. */
  expected: string;
}

export class HarnessError extends Error {
  readonly code: ErrorCodeValue;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly problems: readonly SuiteProblem[];
  readonly plugin: string | undefined;
  readonly hook: string | undefined;

  constructor(
    code: ErrorCodeValue,
    message: string,
    opts: {
      exitCode: ExitCodeValue;
      hint?: string;
      problems?: readonly SuiteProblem[];
      plugin?: string;
      hook?: string;
      cause?: unknown;
    },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.exitCode = opts.exitCode;
    this.hint = opts.hint;
    this.problems = opts.problems ?? [];
    this.plugin = opts.plugin;
    this.hook = opts.hook;
  }
}

export function isHarnessError(e: unknown): e is HarnessError {
  return e instanceof HarnessError;
}

export function formatProblem(p: SuiteProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field}: expected ${p.expected}`;
}

export function createInvalidSuiteError(problems: readonly SuiteProblem[]): HarnessError {
  const first = problems[0];
  const head = first ? formatProblem(first) : 'invalid suite';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
  return new HarnessError(ErrorCode.INVALID_SUITE, `${head}${more}`, {
    exitCode: ExitCode.InvalidInput,
    problems,
    hint: 'Fix the suite file; nothing was sent to the target.',
  });
}

export function createBadArgumentError(option: string, expected: string): HarnessError {
  return new HarnessError(ErrorCode.BAD_ARGUMENT, `${option}: expected ${expected}`, {
    exitCode: ExitCode.InvalidInput,
    hint: 'Run `lvs-harness --help` for the usage.',
  });
}

export function createPluginError(plugin: string, hook: string, cause: unknown): HarnessError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new HarnessError(ErrorCode.PLUGIN_ERROR, `[plugin ${plugin}] ${hook}: ${why}`, {
    exitCode: ExitCode.PluginError,
    plugin,
    hook,
    cause,
    hint: `The check "${plugin}" is at fault, not the target; its verdict is unknown.`,
  });
}

export function createUnreachableError(target: string, reason: string): HarnessError {
  return new HarnessError(ErrorCode.TARGET_UNREACHABLE, `no connection to ${target} succeeded: ${reason}`, {
    exitCode: ExitCode.TargetUnreachable,
    hint: 'Check that the VIP is up (ipvsadm -Ln) and that this host can route to it.',
  });
}

/** A load run that started but ended early as ab would end it (idle timeout, receive error, 10 failures). */
export function createBenchBrokeOffError(target: string, reason: string): HarnessError {
  return new HarnessError(ErrorCode.BENCH_BROKE_OFF, `benchmark of ${target} broke off: ${reason}`, {
    exitCode: ExitCode.TargetUnreachable,
    hint: 'The report shows what completed. Use -r to count receive errors and go on, or -s to wait longer.',
  });
}

export function createNotLoopbackError(file: string, addresses: readonly string[]): HarnessError {
  const shown = addresses.slice(0, 5).join(', ') + (addresses.length > 5 ? ` (and ${addresses.length - 5} more)` : '');
  return new HarnessError(ErrorCode.BAD_ARGUMENT, `${file}: the embedded lab runs on loopback only, not ${shown}`, {
    exitCode: ExitCode.InvalidInput,
    hint: 'Use 127.x.y.z addresses for the VIP, the real servers and the sources, or run with --lab none against a real director.',
  });
}

export function createLabStartError(what: string, cause: unknown, hint?: string): HarnessError {
  const why = cause instanceof Error ? cause.message : String(cause);
  const { code, address, port } = (cause ?? {}) as { code?: string; address?: string; port?: number };
  const taken = code === 'EADDRINUSE' && address !== undefined ? `${address}:${port}` : null;
  if (code === 'EADDRNOTAVAIL') {
    const where = address ?? 'its address';
    return new HarnessError(ErrorCode.LAB_START_FAILED, `embedded lab: cannot start ${what}: ${where} is not an address of this host`, {
      exitCode: ExitCode.InvalidEnvironment,
      cause,
      hint: `Use 127.x.y.z addresses (all of 127/8 is this host's on Linux), or add it: ip addr add ${where}/32 dev lo`,
    });
  }
  return new HarnessError(ErrorCode.LAB_START_FAILED, `embedded lab: cannot start ${what}: ${why}`, {
    exitCode: ExitCode.InvalidEnvironment,
    cause,
    hint:
      hint ??
      (taken
        ? `${taken} is taken by another process (another lvs-harness run or lab up?): stop it, or move this run with --address-offset N (127.a.b.c becomes 127.a+N.b.c).`
        : 'Another process may hold the address and port; pick other ports in the suite.'),
  });
}

/** A suite names an environment variable for a secret (a password) and the run was started without it. */
export function createMissingSecretError(variable: string, where: string): HarnessError {
  return new HarnessError(ErrorCode.BAD_ARGUMENT, `${where}: the environment variable ${variable} is not set`, {
    exitCode: ExitCode.InvalidInput,
    hint: `Export ${variable} before the run; the suite names it so that the secret stays out of the file.`,
  });
}

export function createAbortedError(signal: string): HarnessError {
  return new HarnessError(ErrorCode.ABORTED, `run aborted by ${signal}`, {
    exitCode: ExitCode.Aborted,
    hint: 'Results collected so far were written.',
  });
}

/**
 * A line of a director's text that cannot be read: an `ipvsadm -S -n` dump, a fwmark rules file, or
 * any other ipvsadm, /proc/net/ip_vs* or sysctl output (`source` names which). Long lines are cut so
 * the message stays one readable line.
 */
export function createDirectorConfigError(
  file: string,
  line: number,
  text: string,
  expected: string,
  source = 'an `ipvsadm -S -n` dump',
): HarnessError {
  const shown = text.trim().length > 120 ? `${text.trim().slice(0, 117)}...` : text.trim();
  return new HarnessError(ErrorCode.BAD_DIRECTOR_CONFIG, `${file}:${line}: ${shown}: expected ${expected}`, {
    exitCode: ExitCode.InvalidInput,
    hint: `The file is read as ${source}: give that command's unedited output (with -n), or fix the line. Nothing was sent.`,
  });
}

/**
 * A line of a live director's output (`--director CMD`, the kernel lab) that the parsers cannot read:
 * there is no file to fix, and a reading after the traffic comes when the traffic was sent, so the
 * hint says which reading it was. `parseError` is createDirectorConfigError's, naming command and line.
 */
export function createLiveDirectorOutputError(parseError: HarnessError, moment?: 'before-traffic' | 'after-traffic'): HarnessError {
  const sent =
    moment === 'after-traffic'
      ? "It was read after the suite's traffic: the traffic was sent, and the suite was not judged."
      : moment === 'before-traffic'
        ? "It was read before the suite's traffic: nothing was sent."
        : 'Nothing was sent.';
  return new HarnessError(ErrorCode.BAD_DIRECTOR_CONFIG, parseError.message, {
    exitCode: ExitCode.InvalidInput,
    hint: `The line is what that command printed on the director: run it there to see it. If the director's ipvsadm or kernel prints it so, the harness does not know that output yet (report the line). ${sent}`,
    cause: parseError,
  });
}

/** A director dump that parses but cannot be the suite's director (another VIP, none of its servers). */
export function createDirectorMismatchError(file: string, suiteFile: string, what: string): HarnessError {
  return new HarnessError(ErrorCode.BAD_DIRECTOR_CONFIG, `${file} does not fit ${suiteFile}: ${what}`, {
    exitCode: ExitCode.InvalidInput,
    hint: "Give the dump of the director the suite describes, or change the suite's vip and realServers to the dump's; nothing was sent.",
  });
}

/** Source addresses a run would bind that are not this host's: each connection would fail with EADDRNOTAVAIL. */
export function createSourcesNotOwnedError(where: string, missing: readonly string[], commands: readonly string[]): HarnessError {
  const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` (and ${missing.length - 5} more)` : '');
  return new HarnessError(ErrorCode.INVALID_ENVIRONMENT, `${where}: ${missing.length} source address(es) are not addresses of this host: ${shown}`, {
    exitCode: ExitCode.InvalidEnvironment,
    hint: `Add them as root (the VIP's replies must route back to them), then run again:\n${commands.join('\n')}`,
  });
}

/** A command that reads a live director (`--director CMD`) failed: which, how, and what it printed. */
export function createDirectorReadError(command: string, status: string, output: string): HarnessError {
  const said = output.trim();
  return new HarnessError(ErrorCode.DIRECTOR_READ_FAILED, `reading the director: \`${command}\` ${status}${said ? `:\n${said}` : ' and printed nothing'}`, {
    exitCode: ExitCode.InvalidEnvironment,
    hint: 'Run that command by hand: --director must give a prefix through which ipvsadm and sysctl run on the director (root there, ip_vs loaded).',
  });
}

/** The kernel lab needs root and Debian packages; `missing` names each thing that is not there. */
export function createInvalidEnvironmentError(missing: readonly string[], packages: readonly string[]): HarnessError {
  const install = packages.length > 0 ? `apt-get install -y ${packages.join(' ')}` : '';
  return new HarnessError(ErrorCode.INVALID_ENVIRONMENT, `the kernel lab cannot run here: ${missing.join('; ')}`, {
    exitCode: ExitCode.InvalidEnvironment,
    hint: [install && `As root: ${install}`, missing.some((m) => m.startsWith('root')) ? 'Run as root (the lab boots a VM and configures IPVS).' : '']
      .filter(Boolean)
      .join(' '),
  });
}

/** The guest did not come up or did not finish: `what` says which step, `tail` the console's last lines. */
export function createKernelLabError(what: string, tail: string): HarnessError {
  return new HarnessError(ErrorCode.KERNEL_LAB_FAILED, `kernel lab: ${what}${tail ? `\n--- guest console (last lines) ---\n${tail}` : ''}`, {
    exitCode: ExitCode.InvalidEnvironment,
    hint: 'The guest runs under qemu without KVM; check the console lines above, or run `lvs-harness lab up --kernel <suite>` to look around inside.',
  });
}

/** A suite whose traffic, as sized, could not give a check the evidence to pass: found before any traffic. */
export function createUndersizedSuiteError(file: string, problems: ReadonlyArray<{ check: string; problem: string }>): HarnessError {
  const list = problems.map((p) => `${p.check}: ${p.problem}`).join('; ');
  return new HarnessError(ErrorCode.UNDERSIZED_SUITE, `${file}: the traffic cannot confirm what the checks judge (${list})`, {
    exitCode: ExitCode.InvalidInput,
    hint: 'Give the suite more clients (clients.sources, or a larger --max-clients), or the probes it names; nothing was sent.',
  });
}

/** A keepalived.conf that keepalived would reject or read otherwise than written; `problems[0]` is where. */
export function createKeepalivedConfigError(at: SourceLocation, what: string, expected: string): HarnessError {
  const problem = { file: at.file, line: at.line, column: at.column, field: what, expected };
  return new HarnessError(ErrorCode.BAD_DIRECTOR_CONFIG, formatProblem(problem), {
    exitCode: ExitCode.InvalidInput,
    problems: [problem],
    hint: 'Fix the keepalived.conf (`keepalived -t -f FILE` reads it as keepalived would); nothing was sent.',
  });
}

/**
 * A keepalived.conf line that depends on keepalived's config_id (`@ID` prefixes, `$_INSTANCE`): that
 * is the director's `keepalived -i`, else its short host name, which the harness cannot know.
 */
export function createKeepalivedConfigIdError(at: SourceLocation, written: string): HarnessError {
  return new HarnessError(
    ErrorCode.BAD_ARGUMENT,
    `${at.file}:${at.line}:${at.column}: ${written}: expected the director's keepalived config id (--keepalived-id NAME), which decides whether keepalived reads this line`,
    {
      exitCode: ExitCode.InvalidInput,
      hint: "Pass --keepalived-id NAME: the director's `keepalived -i NAME`, else its short host name (`hostname -s` there). Nothing was sent.",
    },
  );
}

/** An output path (results folder, report or data file) that cannot be written; checked before any traffic. */
export function createBadOutputError(option: string, file: string, problem: string): HarnessError {
  return new HarnessError(ErrorCode.BAD_ARGUMENT, `${option} ${file}: ${problem}`, {
    exitCode: ExitCode.InvalidInput,
    hint: 'Give a path in a folder you can write to; nothing was sent to the target.',
  });
}

/** An option the command does not have, named as typed. */
export function createUnknownOptionError(command: string, option: string): HarnessError {
  return new HarnessError(ErrorCode.BAD_ARGUMENT, `${command}: unknown option ${option}`, {
    exitCode: ExitCode.InvalidInput,
    hint: `Run \`lvs-harness ${command} --help\` for its options.`,
  });
}

/** `merge` was given shards that are not one run's, each once and all of them: `what` says which and why. */
export function createShardsMismatchError(what: string): HarnessError {
  return new HarnessError(ErrorCode.SHARDS_MISMATCH, `merge: ${what}`, {
    exitCode: ExitCode.InvalidInput,
    hint: 'Give every shard of one run once (the results folders of `run --shard 0/N` ... `--shard N-1/N`, or their `bench --shard` JSON files).',
  });
}
