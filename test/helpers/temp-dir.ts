/**
 * Temporary folders for tests. .mocharc.json loads this module as a root hook plugin, so every folder
 * made here is removed once the whole run has finished, whether its tests passed or not. Removing them
 * only at the end keeps a folder made in a `describe` body or a `before` hook alive for all its tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** A new, empty folder under the system's temporary folder, named `<prefix><random>`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export const mochaHooks = {
  afterAll(): void {
    for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
};
