/**
 * `--keepalived-id NAME`: the director's keepalived config_id (its `keepalived -i NAME`, else its
 * short host name), which decides which `@ID` lines of a keepalived.conf keepalived reads. The
 * harness runs on a client host and cannot learn it, so it is given.
 */
import { createBadArgumentError } from '../core/errors.js';

export function parseKeepalivedId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // keepalived compares the word after `@` up to the first blank.
  if (!/^[^\s]+$/.test(value)) throw createBadArgumentError('--keepalived-id', `a config id without blanks, as keepalived -i takes it, not '${value}'`);
  return value;
}
