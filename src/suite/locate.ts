/**
 * Maps a path inside a parsed YAML document (as zod reports it) to a line and column, so every
 * suite problem points at the text the user must change.
 */
import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export type FieldPath = readonly PropertyKey[];

export function formatPath(path: FieldPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(suite)' : out;
}

/** Line/column of the deepest node that exists on `path`; `key` points at a map key instead. */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: FieldPath,
  key?: string,
): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined;
    const target = depth === path.length && key !== undefined && isMap(node) ? keyNode(node, key) : node;
    const range = (target ?? (depth === 0 ? doc.contents : undefined))?.range;
    if (range) {
      const { line, col } = lines.linePos(range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

function keyNode(map: { items: unknown[] }, key: string): Node | undefined {
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && item.key.value === key) return item.key;
  }
  return undefined;
}
