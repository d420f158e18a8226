/**
 * keepalived.conf's lexical layer, as keepalived's own reader (lib/parser.c) splits a line once
 * decomment.ts has cut its comment: words separated by blanks, `{` and `}` as words of their own
 * even when written against a word, `"..."` keeping its blanks. Every token keeps its file, line
 * and column, so every later error can point at the text.
 */
import type { SourceLocation } from '../../core/errors.js';
import { locationOf, type ConfigLine } from './decomment.js';

export type TokenKind = 'word' | 'open' | 'close' | 'eol';

export interface Token extends SourceLocation {
  kind: TokenKind;
  text: string;
}

export function tokenizeLine(l: ConfigLine): Token[] {
  const tokens: Token[] = [];
  const raw = l.text;
  let pos = 0;
  while (pos < raw.length) {
    const c = raw[pos]!;
    if (c === ' ' || c === '\t') {
      pos++;
    } else if (c === '{' || c === '}') {
      tokens.push({ kind: c === '{' ? 'open' : 'close', text: c, ...locationOf(l, pos) });
      pos++;
    } else if (c === '"') {
      const end = raw.indexOf('"', pos + 1);
      // keepalived takes an unclosed quote to the end of the line.
      const stop = end === -1 ? raw.length : end;
      tokens.push({ kind: 'word', text: raw.slice(pos + 1, stop), ...locationOf(l, pos) });
      pos = stop + 1;
    } else {
      const start = pos;
      while (pos < raw.length && !' \t{}"'.includes(raw[pos]!)) pos++;
      tokens.push({ kind: 'word', text: raw.slice(start, pos), ...locationOf(l, start) });
    }
  }
  tokens.push({ kind: 'eol', text: '', file: l.file, line: l.line, column: l.endColumn });
  return tokens;
}
