/**
 * The part of glob(3) keepalived's `include` relies on: `*`, `?` and `[...]` in any path segment,
 * matches sorted as glob(3) sorts them, hidden files only when the pattern starts with a dot.
 * (Node 20 has no fs.glob.)
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

/** Absolute paths matching `pattern` (absolute), sorted; none when nothing matches. */
export async function glob(pattern: string): Promise<string[]> {
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
