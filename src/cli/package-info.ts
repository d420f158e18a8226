import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of lvs-harness's package.json: the nearest above this file (src/ under tsx, dist/src/ when built). */
export function packageRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (readPackage(dir)?.name === 'lvs-harness') return dir;
    if (path.dirname(dir) === dir) throw new Error('lvs-harness: package.json not found above the installed files');
  }
}

export function packageVersion(): string {
  return readPackage(packageRoot())?.version ?? 'unknown';
}

function readPackage(dir: string): { name?: string; version?: string } | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
  } catch {
    return null;
  }
}
