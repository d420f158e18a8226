/**
 * A keepalived.conf and everything it includes, as one token stream. keepalived handles `include`
 * while reading lines, so it may stand anywhere, inside a block too; a relative pattern is taken
 * from the including file's folder, and a pattern that matches nothing is a warning, as keepalived
 * says "Config files missing".
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceLocation } from '../../core/errors.js';
import { glob } from './glob.js';
import { keepalivedError, type KeepalivedWarning } from './problems.js';
import { tokenize, type Token } from './tokens.js';

/** keepalived itself stops at this depth of nested includes. */
const MAX_DEPTH = 32;

export interface ReadResult {
  tokens: Token[];
  files: string[];
  warnings: KeepalivedWarning[];
}

export async function readConfigTokens(file: string, from?: SourceLocation): Promise<ReadResult> {
  const result: ReadResult = { tokens: [], files: [], warnings: [] };
  await readInto(path.resolve(file), result, [], from);
  return result;
}

async function readInto(file: string, out: ReadResult, stack: string[], from: SourceLocation | undefined): Promise<void> {
  const where = from ?? { file, line: 1, column: 1 };
  if (stack.includes(file)) throw keepalivedError(where, `include ${file}`, 'no include loop (the file includes itself)');
  if (stack.length >= MAX_DEPTH) throw keepalivedError(where, 'include', `at most ${MAX_DEPTH} nested includes`);
  let text: string;
  try {
    if ((await stat(file)).isDirectory()) throw new Error('it is a directory');
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw keepalivedError(where, file, `a readable keepalived.conf (${(e as Error).message})`);
  }
  out.files.push(file);
  const tokens = tokenize(text, file);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const lineStart = i === 0 || tokens[i - 1]!.kind === 'eol';
    if (!(lineStart && t.kind === 'word' && t.text === 'include')) {
      out.tokens.push(t);
      continue;
    }
    const args: Token[] = [];
    while (tokens[i + 1] && tokens[i + 1]!.kind !== 'eol') args.push(tokens[++i]!);
    if (args.length !== 1 || args[0]!.kind !== 'word') throw keepalivedError(t, 'include', 'one file name or glob pattern after it');
    const pattern = path.resolve(path.dirname(file), args[0]!.text);
    const matches = await glob(pattern);
    if (matches.length === 0) out.warnings.push({ at: t, message: `Config files missing '${args[0]!.text}'` });
    for (const m of matches) await readInto(m, out, [...stack, file], t);
  }
}
