/**
 * An FTP session held across a change window: logged in, then one download read into a sink that
 * takes `bytesPerSecond`, so TCP flow control holds the transfer open on whatever server sends it
 * (the lab's or vsftpd). The file is the probe's `transfers.stor` file, generated and uploaded first
 * at full speed and checked byte for byte (SHA-256) when it comes back, or its `transfers.retr` file,
 * checked against SIZE. Each probe reads the bytes so far; the session ends when the server confirms
 * the transfer (226) and the bytes check out, or when it breaks (reset, FIN without 226, a stall past
 * the probe's timeout, a wrong file).
 */
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import type { SessionTransfer } from '../model/change-window.js';
import type { ObservationError } from '../model/observation.js';
import type { FtpProbeSpec } from '../suite/probes/ftp.js';
import { capturedName } from './captured-name.js';
import { loginPassword } from './credentials.js';
import { boundClient, classifyFtp, download, generated, nameIn } from './ftp-probe.js';
import type { HeldSession } from './held-session.js';

interface Plan {
  file: string;
  expectedBytes: number;
  verifiedBy: SessionTransfer['verifiedBy'];
  /** The SHA-256 the download must have (`content`). */
  digest: string | null;
  /** A file the session uploaded and deletes afterwards. */
  uploaded: boolean;
}

export async function openFtpHeld(spec: FtpProbeSpec, host: string, source: string, signal: AbortSignal, bytesPerSecond: number): Promise<HeldSession> {
  const { client, sockets, active } = boundClient(spec, source);
  const ended = new AbortController();
  const abort = (): void => client.close();
  signal.addEventListener('abort', abort, { once: true });
  const close = async (): Promise<void> => {
    signal.removeEventListener('abort', abort);
    active?.close();
    client.close();
  };
  let realServer: string | null = null;
  let plan: Plan | null = null;
  let error: ObservationError | null = null;
  try {
    const welcome = await client.connect(host, spec.port);
    if (spec.identify.greeting !== undefined) realServer = capturedName(new RegExp(spec.identify.greeting), welcome.message);
    await client.login(spec.login.username, loginPassword(spec.login, spec.name));
    await client.send('TYPE I');
    if (spec.identify.file !== undefined) realServer = nameIn(spec, await download(client, spec.identify.file));
    // One name per client address (each held session has its own): a download that a change broke
    // leaves its upload behind, and the next run's replaces it instead of adding another.
    plan = await prepare(spec, client, `lvs-harness-held-${source}.bin`);
    if (realServer === null) error = { code: 'UNIDENTIFIED', message: 'the FTP server did not name itself' };
  } catch (e) {
    error = signal.aborted ? { code: 'ABORTED', message: 'aborted by the user' } : classifyFtp(e);
  }
  const clientPort = sockets[0]?.localPort ?? null;
  if (error !== null || plan === null) {
    ended.abort();
    await close();
    const failed = { realServer, error: error ?? { code: 'FTP_ERROR', message: 'no file to download' } };
    return { clientPort, opened: failed, probe: async () => failed, close: async () => undefined, ended: ended.signal };
  }

  const p = plan;
  const hash = createHash('sha256');
  let bytes = 0;
  let outcome: ObservationError | null | undefined;
  const sink = new Writable({
    highWaterMark: 16_384,
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      setTimeout(done, (chunk.length / bytesPerSecond) * 1000).unref();
    },
  });
  void client
    .downloadTo(sink, p.file)
    .then(
      () => mismatch(p, bytes, hash.digest('hex')),
      (e: unknown) => (signal.aborted ? { code: 'ABORTED', message: 'aborted by the user' } : classifyFtp(e)),
    )
    .then(async (result) => {
      // Tidied before the end is announced: the session is closed as soon as it is.
      if (result === null && p.uploaded) await client.remove(p.file).catch(() => undefined);
      outcome = result;
      ended.abort();
    });
  return {
    clientPort,
    opened: { realServer, error: null, bytes },
    probe: async () => ({ realServer, error: outcome ?? null, bytes }),
    close,
    ended: ended.signal,
    progress: () => ({ file: p.file, expectedBytes: p.expectedBytes, verifiedBy: p.verifiedBy, bytes }),
  };
}

/** What to download: the generated file uploaded now, or the probe's named file and its SIZE. */
async function prepare(spec: FtpProbeSpec, client: ReturnType<typeof boundClient>['client'], name: string): Promise<Plan> {
  const stor = spec.transfers.stor;
  if (stor !== undefined) {
    const payload = generated(name, stor);
    await client.uploadFrom(Readable.from([payload]), name);
    return { file: name, expectedBytes: payload.length, verifiedBy: 'content', digest: createHash('sha256').update(payload).digest('hex'), uploaded: true };
  }
  const file = spec.transfers.retr!;
  return { file, expectedBytes: await client.size(file), verifiedBy: 'size', digest: null, uploaded: false };
}

function mismatch(plan: Plan, bytes: number, digest: string): ObservationError | null {
  if (bytes !== plan.expectedBytes) return { code: 'TRANSFER_MISMATCH', message: `RETR ${plan.file}: ${bytes} bytes received, ${plan.expectedBytes} expected` };
  if (plan.digest !== null && digest !== plan.digest) return { code: 'TRANSFER_MISMATCH', message: `RETR ${plan.file}: the ${bytes} bytes differ from the file uploaded` };
  return null;
}
