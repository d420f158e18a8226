/**
 * YAML aliases can multiply a small file into billions of nodes ("billion laughs"). The yaml package
 * stops expanding past maxAliasCount; this names the first alias, so the user sees where.
 */
import { isAlias, visit, type Document, type LineCounter } from 'yaml';

/** yaml's own default: far more than a suite needs (a shared map reused a few times), far fewer than a bomb. */
export const MAX_ALIAS_COUNT = 100;

export function aliasProblem(doc: Document, lines: LineCounter): { line: number; column: number; field: string; expected: string } {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  const { line, col } = lines.linePos(offset);
  return { line, column: col, field: '(yaml)', expected: `YAML whose aliases expand to at most ${MAX_ALIAS_COUNT} nodes each (this file's expand far more: an alias bomb?)` };
}
