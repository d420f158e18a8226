/**
 * `sessions:` in a suite: long-lived sessions held open for the whole traffic and probed every few
 * seconds, so that a change's effect on work already in flight is seen beside its effect on new
 * connections. An HTTP probe's session is one kept-alive connection reused for a request each time;
 * a Telnet probe's is one logged-in shell given its `identify.command` each time; an FTP probe's is
 * one download (of the probe's `transfers.stor` file, uploaded first, or of its `transfers.retr`
 * file) read at `bytesPerSecond`, so that it is still in flight when the changes come, and looked at
 * every `everySeconds`.
 *
 *   sessions:
 *     - { probe: http, count: 4, everySeconds: 0.5 }
 *     - { probe: telnet, count: 2, everySeconds: 1 }
 *     - { probe: ftp, count: 2, everySeconds: 0.5, bytesPerSecond: 65536 }
 */
import { z } from 'zod';
import { shortName } from './fields.js';

/** An FTP session's default pace: a 256 KiB file lasts 4 s. */
export const DEFAULT_FTP_BYTES_PER_SECOND = 65_536;

export const session = z.strictObject({
  probe: shortName,
  count: z.int().min(1).max(64).default(1),
  everySeconds: z.number().min(0.1).max(60).default(1),
  /** FTP only: how fast the download is read (TCP flow control holds the server to it). */
  bytesPerSecond: z.int().min(1024).max(1_073_741_824).optional(),
});

export type SessionSpec = z.output<typeof session>;
