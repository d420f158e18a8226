/**
 * What a benchmark aims at and how it names servers, validated before the first packet: ab's URL rules
 * (http only, a path required) and the body regex that identifies the real server.
 */
import { createBadArgumentError } from '../core/errors.js';

/** Validates a URL the way ab does (http only, a path is required) and returns it normalised. */
export function parseUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  if (!/^http:\/\//i.test(withScheme)) {
    throw createBadArgumentError('URL', `an http:// URL (https is not supported), got "${text}"`);
  }
  if (!withScheme.slice(7).includes('/')) throw createBadArgumentError('URL', `a URL with a path, e.g. http://host/ (got "${text}")`);
  try {
    const u = new URL(withScheme);
    if (!u.hostname) throw new Error('no host');
    return u.href;
  } catch {
    throw createBadArgumentError('URL', `a valid URL, got "${text}"`);
  }
}

/** Group 1 of the regex names the real server, or the whole match when it has no group. */
export function parseBodyRegex(option: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw createBadArgumentError(option, `a valid regular expression, got "${source}"`);
  }
}
