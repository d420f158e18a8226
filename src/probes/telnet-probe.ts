/**
 * Telnet probe. One probe call is one Telnet session from the client's source address: read the
 * banner, log in when the suite gives credentials, name the real server from the banner, the shell
 * prompt or a command's output, then log out. Every wait is bounded by the probe's timeout and a
 * failure says what the probe was waiting for.
 */
import type { ObservationError } from '../model/observation.js';
import type { TelnetCredentials, TelnetProbeSpec } from '../suite/probes/telnet.js';
import { startedResult } from './connection-result.js';
import type { ConnectionResult, ProbeRunner } from './probe.js';
import { telnetCredentials } from './credentials.js';
import { TelnetSession } from './telnet-session.js';
import { capturedName } from './captured-name.js';

export interface Patterns {
  login: RegExp;
  password: RegExp;
  shell: RegExp;
  failed: RegExp;
  /** Applied to the banner, the prompt line or the command output, as `identify` says. */
  name: RegExp | null;
}

/** Reads the credentials once (a missing passwordEnv variable stops the run here, before any session). */
export function telnetRunner(probe: TelnetProbeSpec, host: string): ProbeRunner {
  const credentials = telnetCredentials(probe);
  const patterns = telnetPatterns(probe);
  return (source, signal) => telnetConnection(probe, patterns, credentials, host, source, signal);
}

/** Connects from `source` with the probe's timeout; the password is never quoted in an error. */
export function openTelnetSession(
  probe: TelnetProbeSpec,
  credentials: TelnetCredentials | null,
  host: string,
  source: string,
  signal: AbortSignal,
): ReturnType<typeof TelnetSession.open> {
  return TelnetSession.open({
    host,
    port: probe.port,
    source,
    timeoutMs: probe.timeoutSeconds * 1000,
    signal,
    secrets: credentials ? [credentials.password] : [],
  });
}

export function telnetPatterns(probe: TelnetProbeSpec): Patterns {
  const { banner, prompt, output } = probe.identify;
  const naming = banner ?? prompt ?? output;
  return {
    login: new RegExp(probe.loginPrompt),
    password: new RegExp(probe.passwordPrompt),
    shell: new RegExp(probe.shellPrompt),
    failed: new RegExp(probe.loginFailed),
    name: naming === undefined ? null : new RegExp(naming),
  };
}

async function telnetConnection(
  probe: TelnetProbeSpec,
  patterns: Patterns,
  credentials: TelnetCredentials | null,
  host: string,
  source: string,
  signal: AbortSignal,
): Promise<ConnectionResult> {
  const startedAt = performance.now();
  const result = startedResult(startedAt);
  const opened = await openTelnetSession(probe, credentials, host, source, signal);
  if (!opened.ok) {
    result.error = opened.error;
    result.endedAt = performance.now();
    return result;
  }
  const session = opened.value;
  const connectedAt = performance.now();
  result.connectMs = connectedAt - startedAt;
  result.clientPort = session.socket.localPort ?? null;
  try {
    result.error = await dialogue(session, probe, patterns, credentials, result);
  } finally {
    result.endedAt = performance.now();
    await session.close();
    result.bytesSent = session.socket.bytesWritten;
    result.bytesReceived = session.socket.bytesRead;
    if (session.firstByteAt !== null) result.firstByteMs = session.firstByteAt - connectedAt;
  }
  return result;
}

/** The session from banner to logout; sets the real server and command count on `result`. */
async function dialogue(
  session: TelnetSession,
  probe: TelnetProbeSpec,
  patterns: Patterns,
  credentials: TelnetCredentials | null,
  result: ConnectionResult,
): Promise<ObservationError | null> {
  const { identify } = probe;
  const loggedIn = await logIn(session, probe, patterns, credentials, result);
  if (loggedIn !== null) return loggedIn;
  if (identify.command !== undefined) {
    const error = await runIdentifyCommand(session, probe, patterns, result);
    if (error !== null) return error;
  }
  session.send(probe.logout);
  if (await session.closedByServer()) result.requests++;

  if (identify.banner !== undefined) return unidentified(result, 'the banner', identify.banner);
  if (identify.prompt !== undefined) return unidentified(result, 'the shell prompt', identify.prompt);
  return unidentified(result, `the output of "${identify.command!}"`, identify.output ?? 'its first line');
}

/** Banner, login and the first shell prompt; names the server from the banner or prompt when told to. */
export async function logIn(
  session: TelnetSession,
  probe: TelnetProbeSpec,
  patterns: Patterns,
  credentials: TelnetCredentials | null,
  result: ConnectionResult,
): Promise<ObservationError | null> {
  const { identify } = probe;
  const greeting = await session.expect(
    [
      ['login', patterns.login],
      ['shell', patterns.shell],
    ],
    'the login or shell prompt',
  );
  if (!greeting.ok) return greeting.error;
  if (identify.banner !== undefined) result.realServer = capturedName(patterns.name!, greeting.value.before);

  let prompt = greeting.value;
  if (prompt.name === 'login') {
    if (credentials === null) {
      // Without credentials a login prompt ends the session; only the banner can have named the server.
      if (identify.banner !== undefined) return unidentified(result, 'the banner', identify.banner);
      return { code: 'LOGIN_REQUIRED', message: 'the server asks for a login and the probe has no login credentials' };
    }
    session.send(credentials.username);
    const asked = await session.expect([['password', patterns.password]], 'the password prompt');
    if (!asked.ok) return asked.error;
    session.send(credentials.password);
    const shell = await session.expect(
      [
        ['failed', patterns.failed],
        ['login', patterns.login],
        ['shell', patterns.shell],
      ],
      'the shell prompt after the password',
    );
    if (!shell.ok) return shell.error;
    if (shell.value.name !== 'shell') {
      return { code: 'LOGIN_FAILED', message: `the server refused the login of user ${credentials.username}` };
    }
    prompt = shell.value;
  }

  if (identify.prompt !== undefined) {
    const line = lastLine(prompt.before + prompt.match[0]);
    result.realServer = capturedName(patterns.name!, line);
  }
  return null;
}

/** Runs `identify.command` at the shell prompt and names the server from its output. */
export async function runIdentifyCommand(
  session: TelnetSession,
  probe: TelnetProbeSpec,
  patterns: Patterns,
  result: ConnectionResult,
): Promise<ObservationError | null> {
  const command = probe.identify.command!;
  session.send(command);
  const out = await session.expect([['shell', patterns.shell]], `the output of "${command}"`);
  if (!out.ok) return out.error;
  result.requests++;
  const text = withoutEcho(out.value.before, command);
  result.realServer = patterns.name ? capturedName(patterns.name, text) : firstLine(text);
  return null;
}

function unidentified(result: ConnectionResult, where: string, pattern: string): ObservationError | null {
  if (result.realServer !== null) return null;
  return { code: 'UNIDENTIFIED', message: `${where} did not name its real server (${pattern})` };
}


const LINE_BREAK = /\r\n|\r\0|\r|\n/;

function lastLine(text: string): string {
  return text.split(LINE_BREAK).pop() ?? '';
}

function firstLine(text: string): string | null {
  return text.split(LINE_BREAK).map((l) => l.trim()).find((l) => l.length > 0) ?? null;
}

/** The command's output without the server's echo of the command line. */
function withoutEcho(text: string, command: string): string {
  const lines = text.split(LINE_BREAK);
  return lines[0]?.trim().endsWith(command.trim()) ? lines.slice(1).join('\n') : text;
}
