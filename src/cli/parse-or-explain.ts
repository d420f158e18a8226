import { createBadArgumentError, createUnknownOptionError } from '../core/errors.js';

/** Turns node:util parseArgs' exception into the CLI's bad-argument error, naming an unknown option plainly. */
export function parseOrExplain<T>(parse: () => T, command = 'run'): T {
  try {
    return parse();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const unknown = /^Unknown option '([^']+)'/.exec(err.message);
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) throw createUnknownOptionError(command, unknown[1]!);
    const valueless = /^Option '(-\S+)/.exec(err.message);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && valueless) throw createBadArgumentError(valueless[1]!, 'a value after it');
    throw createBadArgumentError(command, `${err.message.split('\n')[0]} (see \`lvs-harness ${command} --help\`)`);
  }
}
