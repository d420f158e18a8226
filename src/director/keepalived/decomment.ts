/**
 * keepalived's decomment() (lib/parser.c), applied to every line before anything else reads it:
 * leading and trailing blanks go, the line ends at the first `!` or `#` outside double quotes
 * (glued to a word too: `weight 1# primary` is `weight 1`), `\#` and `\!` outside quotes stand for
 * the character itself, and a line ending in `\` keeps it, without the blanks before it.
 * Each character keeps the column it had in the file, so errors still point at the text.
 */
import type { SourceLocation } from '../../core/errors.js';

/** One line as keepalived reads it: its text, and for each character its 1-based column in `file`. */
export interface ConfigLine {
  file: string;
  line: number;
  text: string;
  columns: number[];
  /** The column just after the line's last character, for "expected more" errors. */
  endColumn: number;
}

export function locationOf(l: ConfigLine, index: number): SourceLocation {
  return { file: l.file, line: l.line, column: l.columns[index] ?? l.endColumn };
}

export function decomment(l: ConfigLine): ConfigLine {
  const chars = l.text.split('');
  const columns = [...l.columns];
  let start = 0;
  while (start < chars.length && (chars[start] === ' ' || chars[start] === '\t')) start++;
  chars.splice(0, start);
  columns.splice(0, start);
  let quote = false;
  let continued: number | undefined;
  let end = chars.length;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '"') quote = !quote;
    else if (c === '\\') {
      if (i + 1 === chars.length) {
        continued = columns[i];
        end = i;
        break;
      }
      if (!quote && (chars[i + 1] === '#' || chars[i + 1] === '!')) {
        chars.splice(i, 1);
        columns.splice(i, 1);
      } else i++;
    } else if (!quote && (c === '!' || c === '#')) {
      end = i;
      break;
    }
  }
  while (end > 0 && (chars[end - 1] === ' ' || chars[end - 1] === '\t')) end--;
  const text = chars.slice(0, end);
  const cols = columns.slice(0, end);
  if (continued !== undefined) {
    text.push('\\');
    cols.push(continued);
  }
  return { ...l, text: text.join(''), columns: cols };
}

/** The file's physical lines, numbered, before keepalived reads them. */
export function physicalLines(text: string, file: string): ConfigLine[] {
  return text.split('\n').map((raw, i) => {
    const t = raw.replace(/\r+$/, '');
    return { file, line: i + 1, text: t, columns: Array.from({ length: t.length }, (_, k) => k + 1), endColumn: t.length + 1 };
  });
}
