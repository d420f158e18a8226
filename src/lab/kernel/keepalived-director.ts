/**
 * The kernel lab's director programmed by Debian's real keepalived instead of ipvsadm commands:
 * the config (already on guest addresses) is written out with keepalived's defaults explicit, and
 * keepalived runs in the director namespace as a checker only (`--check`: no VRRP), its health
 * checkers reaching the real servers' daemons over the lab's link. The lab is ready once every
 * real server is in the kernel's table with its configured weight, or says which are not.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import type { KeepalivedVirtualServer } from '../../director/keepalived/model.js';
import { renderKeepalivedConf } from '../../director/keepalived/render.js';
import { createKernelLabError } from '../../core/errors.js';
import { runCommand } from './command.js';
import { DIRECTOR_NS } from './topology.js';

/** keepalived adds its real servers at start (alpha off); under TCG that start takes a few seconds. */
const START_MS = 8_000;
const MAX_WAIT_MS = 30_000;
const POLL_MS = 500;

/**
 * How long a real server may take to enter the table: with `alpha` it waits for its first passing
 * check (up to delay_loop of warm-up, then each try with its timeout and pause between tries).
 */
function waitMs(virtualServers: readonly KeepalivedVirtualServer[]): number {
  const checks = virtualServers.flatMap((vs) =>
    vs.alpha ? vs.realServers.flatMap((rs) => rs.checkers.map((c) => (c.delayLoop ?? vs.delayLoop) + ((c.connectTimeout ?? 5) + (c.delayBeforeRetry ?? 1)) * ((c.retry ?? 1) + 1))) : [],
  );
  return Math.min(MAX_WAIT_MS, START_MS + 1000 * Math.max(0, ...checks));
}

export interface KeepalivedDirector {
  conf: string;
  /** The pid of the keepalived process the lab started (its parent process, which stops the rest). */
  pidFile: string;
  log: string;
  /** Real servers (address:weight) not in the table when the wait ended; empty when all were. */
  missing: string[];
}

/** `-> ADDR:PORT  Forward  WEIGHT` in `ipvsadm -Ln`: the one fact the wait needs from the listing. */
function inTable(listing: string, address: string, weight: number): boolean {
  return new RegExp(`->\\s+${address.replaceAll('.', '\\.')}:\\d+\\s+\\S+\\s+${weight}\\s`).test(listing);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startKeepalived(virtualServers: readonly KeepalivedVirtualServer[], dir: string): Promise<KeepalivedDirector> {
  const conf = path.join(dir, 'keepalived.conf');
  const pidFile = path.join(dir, 'harness-keepalived.pid');
  const log = path.join(dir, 'keepalived.log');
  await writeFile(conf, renderKeepalivedConf(virtualServers));
  const argv = ['keepalived', '--dont-fork', '--check', '--log-console', '--log-detail', '-f', conf, '-p', path.join(dir, 'keepalived.pid'), '-c', path.join(dir, 'checkers.pid')];
  // keepalived writes its own pid file and refuses to start beside a live pid in it: ours is apart.
  await runCommand(
    ['ip', 'netns', 'exec', DIRECTOR_NS, 'env', `LOG=${log}`, `PID=${pidFile}`, 'sh', '-c', '"$@" >"$LOG" 2>&1 </dev/null & echo $! >"$PID"', 'sh', ...argv],
    undefined,
    'starting keepalived',
  );
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  const missing = await tableFilled(virtualServers, { pid, conf, log }, 'at start');
  return { conf, pidFile, log, missing };
}

/**
 * Waits until every real server of `virtualServers` is in the kernel's table with its weight, or the
 * wait's bound; returns those still missing (address weight). keepalived dying meanwhile is an error.
 */
async function tableFilled(virtualServers: readonly KeepalivedVirtualServer[], k: { pid: number; conf: string; log: string }, when: string): Promise<string[]> {
  const wanted = virtualServers.flatMap((vs) => vs.realServers.map((rs) => ({ address: rs.address, weight: rs.weight })));
  const deadline = Date.now() + waitMs(virtualServers);
  let missing = wanted;
  while (missing.length > 0 && Date.now() < deadline) {
    await setTimeout(POLL_MS);
    if (!alive(k.pid)) throw createKernelLabError(`keepalived exited ${when} (${k.conf})`, await readFile(k.log, 'utf8').catch(() => ''));
    const listing = await runCommand(['ip', 'netns', 'exec', DIRECTOR_NS, 'ipvsadm', '-Ln']);
    missing = wanted.filter((rs) => !inTable(listing, rs.address, rs.weight));
  }
  return missing.map((rs) => `${rs.address} weight ${rs.weight}`);
}

/** How long keepalived has to say it reloaded after SIGHUP. */
const RELOAD_LOGGED_MS = 10_000;

/**
 * `reload`: SIGHUP, as `systemctl reload keepalived` sends; keepalived re-reads its config and
 * reprograms the table. Resolves once keepalived has logged the reload (a table that never changed
 * would show nothing, so its log is the evidence) and the table holds the config's real servers again.
 */
export async function reloadKeepalived(k: KeepalivedDirector, virtualServers: readonly KeepalivedVirtualServer[]): Promise<string[]> {
  const pid = Number((await readFile(k.pidFile, 'utf8')).trim());
  const logged = async (): Promise<string> => readFile(k.log, 'utf8').catch(() => '');
  const offset = (await logged()).length;
  process.kill(pid, 'SIGHUP');
  const deadline = Date.now() + RELOAD_LOGGED_MS;
  while (!/reload/i.test((await logged()).slice(offset))) {
    if (Date.now() > deadline) throw new Error(`keepalived logged no reload within ${RELOAD_LOGGED_MS / 1000} s of SIGHUP (its log: ${k.log})`);
    await setTimeout(POLL_MS);
  }
  const missing = await tableFilled(virtualServers, { pid, conf: k.conf, log: k.log }, 'after SIGHUP');
  if (missing.length > 0) throw new Error(`keepalived reloaded, but the table lacks ${missing.join(', ')} (its log: ${k.log})`);
  return [`kill -HUP $(cat ${k.pidFile})   # systemctl reload keepalived`];
}
