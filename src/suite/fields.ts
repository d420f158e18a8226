/** Field schemas shared by the suite schema and the per-protocol probe schemas. */
import { z } from 'zod';
import { parseIpv4 } from '../net/ipv4.js';
import { isValidRange, toRange } from '../net/port-range.js';

export const ipv4 = z.string().refine((s) => parseIpv4(s) !== null, { message: 'an IPv4 address such as 127.0.0.100' });

export const port = z.int().min(1).max(65535);

export const shortName = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'a short name such as web1 (letters, digits, _ . -)' });

export const timeoutSeconds = z.number().positive().max(300).default(5);

/** A JavaScript regular expression given as a string; group 1, when present, is the captured name. */
export const regexText = z.string().min(1).refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a valid JavaScript regular expression' },
);

/** An inclusive port range written `from-to`, e.g. `10001-10010`. */
export const portRangeText = z.string().refine((s) => s.includes('-') && isValidRange(toRange(s)), {
  message: 'a port range such as 10001-10010 (from <= to)',
});

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const noLineBreak = (what: string, max: number) =>
  z.string().regex(new RegExp(`^[^\\r\\n\\0]{0,${max}}$`), { message: `${what} without line breaks` });

/**
 * Credentials of a Telnet or FTP probe: the password inline, or the name of an environment variable
 * that holds it (so the suite file need not contain it). Line breaks would smuggle in a second command.
 */
export const login = z
  .strictObject({
    username: noLineBreak('a user name', 100).min(1),
    password: noLineBreak('a password', 200).optional(),
    passwordEnv: z.string().regex(ENV_NAME, { message: 'an environment variable name such as LAB_PASSWORD' }).optional(),
  })
  .superRefine((l, ctx) => {
    if (l.password !== undefined && l.passwordEnv !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'either password or passwordEnv, not both' });
    }
    // Checked when the suite loads, so a missing secret stops the run before any traffic.
    if (l.passwordEnv !== undefined && ENV_NAME.test(l.passwordEnv) && process.env[l.passwordEnv] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['passwordEnv'], message: `an environment variable that is set (${l.passwordEnv} is not)` });
    }
  });

export type Login = z.output<typeof login>;
