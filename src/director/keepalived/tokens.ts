/**
 * keepalived.conf's lexical layer, as keepalived's own reader (lib/parser.c) splits a line: words
 * separated by blanks, `{` and `}` as words of their own even when written against a word, `"..."`
 * keeping its blanks, and `!` or `#` at the start of a word commenting out the rest of the line.
 * Every token keeps its file, line and column, so every later error can point at the text.
 */
import type { SourceLocation } from '../../core/errors.js';

export type TokenKind = 'word' | 'open' | 'close' | 'eol';

export interface Token extends SourceLocation {
  kind: TokenKind;
  text: string;
}

export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const at = (column: number): SourceLocation => ({ file, line, column: column + 1 });
    let pos = 0;
    while (pos < raw.length) {
      const c = raw[pos]!;
      if (c === ' ' || c === '\t') {
        pos++;
      } else if (c === '!' || c === '#') {
        break;
      } else if (c === '{' || c === '}') {
        tokens.push({ kind: c === '{' ? 'open' : 'close', text: c, ...at(pos) });
        pos++;
      } else if (c === '"') {
        const end = raw.indexOf('"', pos + 1);
        // keepalived takes an unclosed quote to the end of the line.
        const stop = end === -1 ? raw.length : end;
        tokens.push({ kind: 'word', text: raw.slice(pos + 1, stop), ...at(pos) });
        pos = stop + 1;
      } else {
        const start = pos;
        while (pos < raw.length && !' \t{}"'.includes(raw[pos]!)) pos++;
        tokens.push({ kind: 'word', text: raw.slice(start, pos), ...at(start) });
      }
    }
    tokens.push({ kind: 'eol', text: '', ...at(raw.length) });
  });
  return tokens;
}
