/**
 * Makes wrk and autocannon send the request lvs-harness sends. In the keep-alive job nginx is the
 * bottleneck and its CPU per request grows with the request bytes, so a tool sending a shorter request
 * looks faster for a reason that is not the tool. The request comes from src/bench/request.ts itself,
 * so the tools cannot drift apart.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest, hostHeaderFor, requestPath } from '../../src/bench/request.js';

/** The bytes `lvs-harness bench -k URL` sends on every request. */
export function harnessRequest(url: string): Buffer {
  const u = new URL(url);
  return buildRequest({ method: 'GET', path: requestPath(u), hostHeader: hostHeaderFor(u), keepAlive: true, headers: [] }).bytes;
}

/** A Lua string literal of `bytes`: decimal escapes (3 digits, so a following digit is not absorbed). */
function luaString(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`;
  return `${out}"`;
}

export interface WrkScript {
  path: string;
  remove(): Promise<void>;
}

/**
 * A wrk script sending `request`. It replaces only `wrk.format`, not `request`: wrk 4.1 then still
 * builds the request once in `wrk.init` and sends it without calling Lua per request.
 */
export async function wrkScript(request: Buffer): Promise<WrkScript> {
  const dir = await mkdtemp(join(tmpdir(), 'lvs-harness-wrk-'));
  const path = join(dir, 'same-request.lua');
  await writeFile(path, `local request = ${luaString(request)}\nwrk.format = function() return request end\n`);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * autocannon `-H` arguments for the header lines of `request`, in its order. autocannon always writes
 * `HTTP/1.1` and its own `Connection: keep-alive` first, so Connection is left to it; Host is passed
 * on so autocannon drops its own and the order matches. `Name=value` because autocannon splits at the
 * first `:` or `=` and would keep the space after a colon.
 */
export function autocannonHeaders(request: Buffer): string[] {
  const lines = request.toString('latin1').split('\r\n\r\n')[0]?.split('\r\n').slice(1) ?? [];
  return lines
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const)
    .filter(([name]) => name.toLowerCase() !== 'connection')
    .flatMap(([name, value]) => ['-H', `${name}=${value}`]);
}
