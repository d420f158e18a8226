/**
 * A keepalived.conf and everything it includes, as one token stream. keepalived handles `include`
 * while reading lines (after `@ID` and `$NAME`, definitions.ts), so it may stand anywhere, inside a
 * block too; a relative pattern is taken from the including file's folder, and a pattern that
 * matches nothing is a warning, as keepalived says "Config files missing" (or "Some config files
 * missing" when only some of its brace alternatives name no file).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceLocation } from '../../core/errors.js';
import { glob } from './glob.js';
import { keepalivedError, type KeepalivedWarning } from './problems.js';
import { locationOf, physicalLines, type ConfigLine } from './decomment.js';
import { DefinitionReader } from './definitions.js';
import { tokenizeLine, type Token } from './tokens.js';

/** keepalived itself stops at this depth of nested includes. */
const MAX_DEPTH = 32;

export interface ReadResult {
  tokens: Token[];
  files: string[];
  warnings: KeepalivedWarning[];
}

export interface ReadOptions {
  /** keepalived's config_id on the director (`keepalived -i`, else its short host name), for `@ID` lines. */
  configId?: string;
}

export async function readConfigTokens(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const result: ReadResult = { tokens: [], files: [], warnings: [] };
  // One reader for every file: keepalived's definitions hold on into the files included after them.
  await readInto(path.resolve(file), result, [], undefined, new DefinitionReader(options.configId));
  return result;
}

async function readInto(file: string, out: ReadResult, stack: string[], from: SourceLocation | undefined, reader: DefinitionReader): Promise<void> {
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
  // Line by line: a definition in an included file holds for the includer's lines after the include.
  for (const physical of physicalLines(text, file)) {
    for (const l of reader.read(physical)) await readLine(l, file, out, stack, reader);
  }
}

async function readLine(l: ConfigLine, file: string, out: ReadResult, stack: string[], reader: DefinitionReader): Promise<void> {
  if (/^include[rmwba]?$/.test(l.text)) throw keepalivedError(locationOf(l, 0), l.text, `a file name or glob pattern after it (keepalived: Unknown keyword '${l.text}')`);
  // includer, includem, includew, includeb, includea: keepalived reads them as include (they only change which problems it reports).
  const include = /^include[rmwba]?[ \t]+/.exec(l.text);
  if (!include) {
    out.tokens.push(...tokenizeLine(l));
    return;
  }
  // keepalived takes the rest of the line as the pattern (check_include), braces and blanks too.
  const at = locationOf(l, 0);
  const written = l.text.slice(include[0].length);
  const { matches, missing } = await glob(path.resolve(path.dirname(file), written));
  if (matches.length === 0) out.warnings.push({ at, message: `Config files missing '${written}'` });
  else if (missing > 0) out.warnings.push({ at, message: `Some config files missing: "${written}"` });
  for (const m of matches) await readInto(m, out, [...stack, file], at, reader);
}
