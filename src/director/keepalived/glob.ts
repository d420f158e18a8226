/**
 * The part of glob(3) keepalived's `include` relies on: `*`, `?` and `[...]` in any path segment,
 * matches sorted as glob(3) sorts them, hidden files only when the pattern starts with a dot, and
 * GLOB_BRACE's `{a,b}` (nested too), each alternative globbed and sorted on its own, in the order
 * written, as glibc does. (Node 20 has no fs.glob.)
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const WILD = /[*?[]/;

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        const body = segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/**
 * GLOB_BRACE: `a{b,c{d,e}}f` is abf, acdf, acef. A `{` without its `}` is an ordinary character,
 * and so is one after a backslash (glibc's next_brace_sub).
 */
export function expandBraces(pattern: string): string[] {
  let open = -1;
  let depth = 0;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') {
      if (depth++ === 0 && open === -1) open = i;
    } else if (c === ',' && depth === 1 && open !== -1) commas.push(i);
    else if (c === '}' && depth > 0 && --depth === 0 && open !== -1) {
      const cuts = [open, ...commas, i];
      const alternatives = cuts.slice(1).map((end, k) => pattern.slice(cuts[k]! + 1, end));
      const rest = pattern.slice(i + 1);
      return alternatives.flatMap((alt) => expandBraces(pattern.slice(0, open) + alt + rest));
    }
  }
  return [pattern];
}

/**
 * Absolute paths matching `pattern` (absolute): brace alternatives in order, each sorted; none when
 * nothing matches. `missing` counts the alternatives without wildcards that name no file, which
 * keepalived reports ("Some config files missing") even when others match.
 */
export async function glob(pattern: string): Promise<{ matches: string[]; missing: number }> {
  const matches: string[] = [];
  let missing = 0;
  for (const alternative of expandBraces(pattern)) {
    const found = await globOne(alternative);
    if (found.length === 0 && !WILD.test(alternative)) missing++;
    matches.push(...found);
  }
  return { matches, missing };
}

async function globOne(pattern: string): Promise<string[]> {
  const segments = pattern.split('/').filter((s) => s !== '');
  let found = ['/'];
  for (const segment of segments) {
    const next: string[] = [];
    for (const dir of found) {
      if (!WILD.test(segment)) {
        next.push(path.join(dir, segment));
        continue;
      }
      const re = segmentRegex(segment);
      const entries = await readdir(dir).catch(() => [] as string[]);
      for (const e of entries) if (re.test(e) && (segment.startsWith('.') || !e.startsWith('.'))) next.push(path.join(dir, e));
    }
    found = next;
  }
  const existing = [];
  for (const f of found.sort()) if (await exists(f)) existing.push(f);
  return existing;
}
