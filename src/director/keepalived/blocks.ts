/**
 * keepalived.conf's block structure: a statement is the words of one line up to a brace; a `{`
 * after it (on the same or the next line) opens its block, `}` closes it. Braces that do not pair
 * are an error at the brace (keepalived only counts them: "There are 1 missing '}'s").
 */
import { keepalivedError } from './problems.js';
import type { Token } from './tokens.js';

export interface Statement {
  keyword: Token;
  args: Token[];
  /** Present when the statement opens a block, even an empty one. */
  block?: Statement[];
}

export function parseBlocks(tokens: readonly Token[]): Statement[] {
  let i = 0;
  const skipEol = (): void => {
    while (tokens[i]?.kind === 'eol') i++;
  };

  const parseList = (opener: Token | null): Statement[] => {
    const list: Statement[] = [];
    for (;;) {
      skipEol();
      const t = tokens[i];
      if (t === undefined) {
        if (opener) throw keepalivedError(opener, "'{'", "a '}' closing this block before the end of the file");
        return list;
      }
      if (t.kind === 'close') {
        if (!opener) throw keepalivedError(t, "'}'", 'a block to close (this one has no matching {)');
        i++;
        return list;
      }
      if (t.kind === 'open') throw keepalivedError(t, "'{'", 'a keyword before the block it opens');
      const args: Token[] = [];
      i++;
      while (tokens[i]?.kind === 'word') args.push(tokens[i++]!);
      const statement: Statement = { keyword: t, args };
      // keepalived also takes the block's brace on the line after its keyword.
      let j = i;
      while (tokens[j]?.kind === 'eol') j++;
      if (tokens[j]?.kind === 'open') {
        i = j + 1;
        statement.block = parseList(tokens[j]!);
      }
      list.push(statement);
    }
  };
  return parseList(null);
}
