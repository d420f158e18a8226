/**
 * Colour for terminals only: on when the stream is a TTY and NO_COLOR (no-color.org) is unset or empty;
 * plain text in pipes and files, so logs and `| grep` see no escape codes.
 */
export interface Paint {
  pass(s: string): string;
  fail(s: string): string;
  warn(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export function colourWanted(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true && !env['NO_COLOR'];
}

const sgr = (open: number, close: number) => (s: string): string => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string): string => s;

export function paint(on: boolean): Paint {
  return on
    ? { pass: sgr(32, 39), fail: sgr(31, 39), warn: sgr(33, 39), bold: sgr(1, 22), dim: sgr(2, 22) }
    : { pass: plain, fail: plain, warn: plain, bold: plain, dim: plain };
}
