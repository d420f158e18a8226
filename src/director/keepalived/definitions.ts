/**
 * What keepalived's read_line() (lib/parser.c) does to a decommented line before the keywords see it:
 *
 * - `@ID rest` keeps `rest` only on the director whose config_id is ID, `@^ID rest` only on the
 *   others. config_id is keepalived's `-i`, else the director's short host name, which a harness on a
 *   client host cannot know: it must be given (--keepalived-id), else the line is an error.
 * - `$NAME=value` defines NAME (a value ending in `\` goes on over the next lines, up to a line
 *   without `\` or an empty one); `$NAME` (followed by a blank, `,`, `)` or the line's end) and
 *   `${NAME}` in later lines, of this file and of the files included after it, stand for the value,
 *   whose own `$NAME`s are replaced in turn. A multi-line value is only replaced at a line's end: its
 *   first line takes the reference's place, the others follow as lines of their own. A name nobody
 *   defined stays as written, as in keepalived.
 * - keepalived's own names: `$_PWD` (the file's folder), `$_INSTANCE` (config_id), `$_HASH` (#),
 *   `$_BANG` (!). `$_RANDOM`, `${_ENV NAME}`, `~SEQ` and `~LST` give what only the director knows or
 *   what the harness does not expand: they are refused, never guessed.
 */
import path from 'node:path';
import type { SourceLocation } from '../../core/errors.js';
import { createKeepalivedConfigIdError } from '../../core/errors.js';
import { decomment, locationOf, type ConfigLine } from './decomment.js';
import { keepalivedError } from './problems.js';

type Definition = { lines: string[]; multiline: boolean } | { builtin: '_PWD' | '_INSTANCE' | '_RANDOM' | '_ENV' | '_HASH' | '_BANG' };

/** More replacements in one line than this is a definition that contains itself. */
const MAX_REPLACEMENTS = 1000;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export class DefinitionReader {
  private readonly defs = new Map<string, Definition>(
    (['_PWD', '_INSTANCE', '_RANDOM', '_ENV', '_HASH', '_BANG'] as const).map((builtin) => [builtin, { builtin }]),
  );
  /** The multi-line definition whose lines are still being read. */
  private open: { lines: string[]; multiline: boolean } | null = null;

  constructor(private readonly configId: string | undefined) {}

  /** The lines keepalived's keywords see for one physical line (none, one, or a multi-line value's). */
  read(physical: ConfigLine): ConfigLine[] {
    if (this.open && physical.text === '') {
      this.close();
      return [];
    }
    const l = decomment(physical);
    if (l.text === '') return [];
    if (this.open) {
      const continued = l.text.endsWith('\\');
      const text = continued ? l.text.slice(0, -1).replace(/[ \t]+$/, '') : l.text;
      if (text !== '') this.open.lines.push(text);
      if (!continued) this.close();
      return [];
    }
    return this.expand(l);
  }

  private close(): void {
    if (this.open && this.open.lines.length === 0) this.open.multiline = false;
    this.open = null;
  }

  private expand(first: ConfigLine): ConfigLine[] {
    const out: ConfigLine[] = [];
    const queue = [first];
    while (queue.length > 0) {
      let l = this.selected(queue.shift()!);
      if (l === null || this.define(l)) continue;
      if (l.text.startsWith('~SEQ') || l.text.startsWith('~LST')) {
        throw keepalivedError(locationOf(l, 0), l.text.slice(0, 4), "no ~SEQ or ~LST: the harness does not expand keepalived's sequences; write the lines out");
      }
      if (!l.text.startsWith('~') && l.text.includes('$')) {
        const replaced = this.substitute(l);
        if (replaced) {
          l = decomment(replaced.line);
          queue.unshift(...replaced.following);
        }
      }
      if (l.text !== '') out.push(l);
    }
    return out;
  }

  /** The line without its `@ID ` when it is kept, null when it is not. */
  private selected(l: ConfigLine): ConfigLine | null {
    if (!l.text.startsWith('@')) return l;
    const reverse = l.text[1] === '^';
    const from = reverse ? 2 : 1;
    const blank = l.text.slice(from).search(/[ \t]/);
    // keepalived drops an `@ID` with nothing after it.
    if (blank === -1) return null;
    const id = l.text.slice(from, from + blank);
    if (this.configId === undefined) throw createKeepalivedConfigIdError(locationOf(l, 0), l.text.slice(0, from + blank));
    if ((id === this.configId) === reverse) return null;
    let rest = from + blank;
    while (l.text[rest] === ' ' || l.text[rest] === '\t') rest++;
    return { ...l, text: l.text.slice(rest), columns: l.columns.slice(rest) };
  }

  /** true when `l` is a definition `$NAME=value`, now stored. */
  private define(l: ConfigLine): boolean {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)=[ \t]*/.exec(l.text);
    if (!m) return false;
    const value = l.text.slice(m[0].length);
    if (!value.endsWith('\\')) {
      this.defs.set(m[1]!, { lines: [value], multiline: false });
      return true;
    }
    const head = value.slice(0, -1).replace(/[ \t]+$/, '');
    this.open = { lines: head === '' ? [] : [head], multiline: true };
    this.defs.set(m[1]!, this.open);
    return true;
  }

  /** replace_param(): every reference in the line, the values' own ones too; null when there is none. */
  private substitute(l: ConfigLine): { line: ConfigLine; following: ConfigLine[] } | null {
    let text = l.text;
    let columns = l.columns;
    let following: ConfigLine[] = [];
    let replacements = 0;
    let at = text.indexOf('$');
    while (at !== -1 && at + 1 < text.length) {
      const ref = this.reference(text, at);
      if (ref === null) {
        at = text.indexOf('$', at + 1);
        continue;
      }
      const where = { file: l.file, line: l.line, column: columns[at] ?? l.endColumn };
      if (++replacements > MAX_REPLACEMENTS) throw keepalivedError(where, `$${ref.name}`, 'a definition that does not contain itself');
      const lines = this.valueOf(ref.name, ref.def, where, l.file);
      const head = lines[0] ?? '';
      if (lines.length > 1) {
        following = lines.slice(1).map((t) => ({ ...l, text: t, columns: t.split('').map(() => where.column) }));
      }
      text = text.slice(0, at) + head + text.slice(at + ref.length);
      columns = [...columns.slice(0, at), ...head.split('').map(() => where.column), ...columns.slice(at + ref.length)];
      at = text.indexOf('$', at);
    }
    return replacements === 0 ? null : { line: { ...l, text, columns }, following };
  }

  /** find_definition(): the defined name at `text[at]` (a `$`) and how many characters it covers. */
  private reference(text: string, at: number): { name: string; def: Definition; length: number } | null {
    const braces = text[at + 1] === '{';
    const start = at + (braces ? 2 : 1);
    if (!NAME_START.test(text[start] ?? '')) return null;
    let end = start + 1;
    while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
    const name = text.slice(start, end);
    let params = '';
    if (braces) {
      let close = end;
      while (close < text.length && /[ \tA-Za-z0-9_]/.test(text[close]!)) close++;
      if (text[close] !== '}') return null;
      params = text.slice(end, close);
      if (params.trim() !== '' && /[ \t]$/.test(params)) return null;
      end = close + 1;
    } else if (end < text.length && !' \t,)'.includes(text[end]!)) return null;
    const def = this.defs.get(name);
    if (def === undefined) return null;
    // keepalived only replaces a multi-line value that ends the line, and passes parameters to its own names only.
    if ('lines' in def && def.multiline && end !== text.length) return null;
    if (params.trim() !== '' && !('builtin' in def && (def.builtin === '_RANDOM' || def.builtin === '_ENV'))) return null;
    return { name, def, length: end - at };
  }

  private valueOf(name: string, def: Definition, at: SourceLocation, file: string): string[] {
    if ('lines' in def) return def.lines;
    switch (def.builtin) {
      case '_PWD':
        return [path.dirname(file)];
      case '_INSTANCE':
        if (this.configId === undefined) throw createKeepalivedConfigIdError(at, '$_INSTANCE');
        return [this.configId];
      case '_HASH':
        return ['#'];
      case '_BANG':
        return ['!'];
      default:
        throw keepalivedError(at, `$${name}`, `no $${name}: its value is the director's (${name === '_RANDOM' ? 'a random number' : 'its environment'}), which the harness cannot know`);
    }
  }
}
