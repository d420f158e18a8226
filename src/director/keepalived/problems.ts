/**
 * What keepalived would say about a config: errors (it would ignore or drop what is written, so the
 * director would not be what the file says) stop the harness; warnings (it applies a default or
 * drops something redundant) are shown, in keepalived's own words, with the file and line.
 */
import { createKeepalivedConfigError, type SourceLocation } from '../../core/errors.js';

export const keepalivedError = createKeepalivedConfigError;

export interface KeepalivedWarning {
  at: SourceLocation;
  message: string;
}

export function formatWarning(w: KeepalivedWarning): string {
  return `${w.at.file}:${w.at.line}: keepalived: ${w.message}`;
}
