/** Words as a POSIX shell reads them back: what the harness shows of a command, and writes into scripts. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line an operator could paste. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
