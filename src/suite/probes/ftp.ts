/**
 * An FTP probe: one call is one session (greeting, login, the transfers, QUIT) in passive or active
 * mode, so each session shows where its control and every data connection went.
 */
import { z } from 'zod';
import { toRange } from '../../net/port-range.js';
import { login, port, portRangeText, regexText, shortName, timeoutSeconds } from '../fields.js';

/** Every lab real server listens on each passive port, and so does the director: keep ranges small. */
export const MAX_PASSIVE_PORTS = 100;

/** A path sent on the control connection: a CR or LF would smuggle in a second command. */
const remotePath = z.string().regex(/^[^\r\n\0]{1,200}$/, { message: 'a file name without line breaks' });

export const ftpProbe = z
  .strictObject({
    name: shortName,
    type: z.literal('ftp'),
    port,
    mode: z.enum(['passive', 'active']).default('passive'),
    /** The servers' passive range (vsftpd pasv_min_port-pasv_max_port); the embedded lab uses it. */
    passivePorts: portRangeText.optional(),
    login: login.default({ username: 'anonymous' }),
    identify: z.strictObject({
      greeting: regexText.optional(),
      file: remotePath.optional(),
      /** With `file`: group 1 (or the whole match) of this regex on the file's text names the server. */
      content: regexText.default('^\\s*(\\S+)'),
    }),
    transfers: z
      .strictObject({
        list: z.boolean().default(true),
        /** A file to download; its length must match the server's SIZE reply. */
        retr: remotePath.optional(),
        /** Bytes of a generated file to upload, read back and compare byte for byte. */
        stor: z.int().min(1).max(1_048_576).optional(),
      })
      .default({ list: true }),
    timeoutSeconds,
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    if ((p.identify.greeting === undefined) === (p.identify.file === undefined)) {
      issue(['identify'], 'exactly one of greeting (a regex on the 220 reply whose group 1 names the server) or file (a file whose content names it)');
    }
    if (p.mode === 'passive' && p.passivePorts === undefined) {
      issue(['passivePorts'], "the servers' passive port range (e.g. 10001-10010) for a passive-mode probe");
    }
    const range = p.passivePorts === undefined ? null : toRange(p.passivePorts);
    if (range !== null && range.to - range.from + 1 > MAX_PASSIVE_PORTS) {
      issue(['passivePorts'], `at most ${MAX_PASSIVE_PORTS} ports`);
    }
    if (range !== null && p.port >= range.from && p.port <= range.to) issue(['passivePorts'], 'a range without the control port');
  });

export type FtpProbeSpec = z.output<typeof ftpProbe>;

/** Suite-level rule: FTP probes on one control port describe the same servers, so one passive range. */
export function ftpRangeConflicts(probes: readonly { type: string; port: number; passivePorts?: string }[]): number[] {
  const byPort = new Map<number, string>();
  const conflicts: number[] = [];
  probes.forEach((p, i) => {
    if (p.type !== 'ftp' || p.passivePorts === undefined) return;
    const known = byPort.get(p.port);
    if (known !== undefined && known !== p.passivePorts) conflicts.push(i);
    byPort.set(p.port, known ?? p.passivePorts);
  });
  return conflicts;
}
