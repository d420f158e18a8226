/**
 * Telnet command stripping (RFC 854/855) on latin1 text, where every byte is one character. Both
 * sides need it: the probe to read a banner and prompts without negotiation bytes in them, the lab's
 * telnetd to read a username that the client's negotiation answers may precede. A command split
 * across two TCP segments is held back until its last byte arrives.
 */

export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
const SB = 0xfa;
const SE = 0xf0;

/** Telnet options (RFC 857, 858, 1091, 1073). */
export const OPT_ECHO = 1;
export const OPT_SGA = 3;
export const OPT_TTYPE = 24;
export const OPT_NAWS = 31;

/** Told of every `IAC WILL|WONT|DO|DONT <option>` met in the stream. */
export type NegotiationListener = (verb: number, option: number) => void;

/** Longest subnegotiation kept while waiting for its IAC SE; a longer one is garbage and dropped. */
const MAX_PENDING = 1024;

export class IacFilter {
  private pending = '';

  constructor(private readonly onNegotiation?: NegotiationListener) {}

  /** The text of `chunk` (latin1) without telnet commands; IAC IAC becomes one 0xFF character. */
  push(chunk: string): string {
    const s = this.pending + chunk;
    this.pending = '';
    let out = '';
    let i = 0;
    while (i < s.length) {
      const at = s.indexOf(String.fromCharCode(IAC), i);
      if (at < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, at);
      const length = commandLength(s, at);
      if (length === null) {
        this.pending = s.length - at <= MAX_PENDING ? s.slice(at) : '';
        break;
      }
      const verb = s.charCodeAt(at + 1);
      if (verb === IAC) out += s[at];
      else if (length === 3) this.onNegotiation?.(verb, s.charCodeAt(at + 2));
      i = at + length;
    }
    return out;
  }
}

/** Bytes taken by the command at `at` (an IAC), or null when it is not complete yet. */
function commandLength(s: string, at: number): number | null {
  if (at + 1 >= s.length) return null;
  const verb = s.charCodeAt(at + 1);
  if (verb >= WILL && verb <= DONT) return at + 2 < s.length ? 3 : null;
  if (verb === SB) {
    const end = s.indexOf(String.fromCharCode(IAC, SE), at + 2);
    return end < 0 ? null : end + 2 - at;
  }
  return 2;
}

/** `IAC <verb> <option>` as latin1 text, for a server's opening negotiation. */
export function negotiation(verb: number, option: number): string {
  return String.fromCharCode(IAC, verb, option);
}
