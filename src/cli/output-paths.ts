/**
 * Output paths are tried before any traffic: a run that cannot write its results would otherwise
 * crash after the traffic and lose its verdicts. Each check really creates what the command would
 * create (root ignores permission bits, so only a real attempt tells), one folder level at a time:
 * Node's recursive mkdir spins forever on a path under /proc.
 */
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { createBadOutputError } from '../core/errors.js';

/** The folder `dir` exists afterwards and a file can be made in it; else exit 11 naming the path. */
export function ensureWritableFolder(option: string, dir: string): void {
  makeFolders(option, dir);
  const probe = path.join(dir, `.lvs-harness-write-test-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (e) {
    throw createBadOutputError(option, dir, `cannot write in this folder (${reason(e)})`);
  }
}

/** `file` can be written: its folder exists (made if missing) and the file opens for writing. */
export function ensureWritableFile(option: string, file: string): void {
  makeFolders(option, path.dirname(path.resolve(file)), file);
  const existed = statOrNull(file);
  if (existed?.isDirectory()) throw createBadOutputError(option, file, 'is a folder, not a file');
  try {
    // Opened to append, so an existing file keeps its content until the command writes it.
    closeSync(openSync(file, 'a'));
    if (!existed) unlinkSync(file);
  } catch (e) {
    throw createBadOutputError(option, file, `cannot write this file (${reason(e)})`);
  }
}

/** `shown` is the path as the user gave it, for the message. */
function makeFolders(option: string, dir: string, shown = dir): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const st = statOrNull(at);
    if (st) {
      if (!st.isDirectory()) throw createBadOutputError(option, shown, `${at} is a file, not a folder`);
      break;
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  try {
    for (const m of missing) mkdirSync(m);
  } catch (e) {
    throw createBadOutputError(option, shown, `cannot create the folder ${(e as NodeJS.ErrnoException).path ?? dir} (${reason(e)})`);
  }
}

function statOrNull(p: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message;
}

/** `--reporter junit:FILE` and `ndjson:FILE`: their files, tried like any output. */
export function ensureReporterFiles(specs: readonly string[]): void {
  for (const spec of specs) {
    const m = /^(junit|ndjson):(.+)$/s.exec(spec);
    if (m) ensureWritableFile(`--reporter ${m[1]}:`, m[2]!);
  }
}
