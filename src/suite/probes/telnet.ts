/**
 * A Telnet probe: where to connect, how to log in (prompts as regexes, credentials given inline or
 * named by an environment variable), and how the session names its real server: from the banner, the
 * shell prompt or a command's output. Prompt regexes are matched against the end of the text received
 * so far, so they should end with `$`.
 */
import { z } from 'zod';
import { login, port, regexText, shortName, timeoutSeconds } from '../fields.js';

export const telnetProbe = z
  .strictObject({
    name: shortName,
    type: z.literal('telnet'),
    port,
    login: login.optional(),
    loginPrompt: regexText.default('[Ll]ogin[: ]*$'),
    passwordPrompt: regexText.default('[Pp]assword[: ]*$'),
    shellPrompt: regexText.default('[$#>%] ?$'),
    /** What the server says after a rejected password. */
    loginFailed: regexText.default('[Ll]ogin incorrect|[Aa]uthentication failed'),
    identify: z.strictObject({
      banner: regexText.optional(),
      prompt: regexText.optional(),
      command: z.string().min(1).optional(),
      /** With command: a regex whose group 1 is the name; without it, the output's first line is. */
      output: regexText.optional(),
    }),
    logout: z.string().min(1).default('exit'),
    timeoutSeconds,
  })
  .superRefine((p, ctx) => {
    const { banner, prompt, command, output } = p.identify;
    if ([banner, prompt, command].filter((x) => x !== undefined).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['identify'],
        message: 'exactly one of banner (a regex on the text before the login), prompt (a regex on the shell prompt) or command (e.g. hostname)',
      });
    }
    if (output !== undefined && command === undefined) {
      ctx.addIssue({ code: 'custom', path: ['identify', 'output'], message: 'output only with command' });
    }
  });

export type TelnetProbeSpec = z.output<typeof telnetProbe>;

export interface TelnetCredentials {
  username: string;
  password: string;
}

/**
 * A placeholder in place of every password of the suite, so the suite can be shown to plugins and
 * written to results without its secrets.
 */
export const REDACTED = '(redacted)';
