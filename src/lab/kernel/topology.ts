/**
 * The tutorial's direct-routing topology as `ip` commands, inside the guest: one bridge in a switch
 * namespace (named, so the harness can reach it from the client namespace it runs in); a client namespace (made once per boot, the harness runs in it) holding
 * one address per emulated user; per suite, a director namespace holding the VIP and one namespace
 * per real server holding its address and the VIP on `lo`. Everything is on one link, and every
 * namespace routes both the client and the server range there, so real servers answer clients
 * directly, as DR needs.
 */
import { CLIENT_NET, DIRECTOR_IP, SERVER_NET } from './guest-addresses.js';

export const BRIDGE = 'lvsbr';
export const SWITCH_NS = 'lvs-switch';
export const CLIENT_NS = 'lvs-client';
export const DIRECTOR_NS = 'lvs-director';
/** Inside every namespace the link to the bridge is called this. */
const LINK = 'eth0';

/** The client host of shard i of a `run --lab kernel --shards N`: one namespace per shard, as N client machines. */
export function shardClientNamespace(index: number): string {
  return `lvs-shard-${index}`;
}

export function realServerNamespace(name: string): string {
  return `lvs-rs-${name}`;
}

/** Commands run with `ip`; sysctls are `ip netns exec NS sysctl -qw k=v`, hence whole argv here. */
type Argv = string[];

/** A namespace attached to the bridge through a veth pair whose outer end is `outer`. */
function attach(ns: string, outer: string): Argv[] {
  return [
    ['ip', 'netns', 'add', ns],
    ['ip', '-n', SWITCH_NS, 'link', 'add', outer, 'type', 'veth', 'peer', 'name', LINK, 'netns', ns],
    ['ip', '-n', SWITCH_NS, 'link', 'set', outer, 'master', BRIDGE, 'up'],
    ['ip', '-n', ns, 'link', 'set', 'lo', 'up'],
    ['ip', '-n', ns, 'link', 'set', LINK, 'up'],
    ...routes(ns),
  ];
}

/** Both ranges on-link; `replace`, since they are set again on the client link for every suite. */
function routes(ns: string): Argv[] {
  return [CLIENT_NET, SERVER_NET].map((net) => ['ip', '-n', ns, 'route', 'replace', net, 'dev', LINK]);
}

/**
 * A real server's link cut (`down`: nothing reaches it, as when its host dies) or restored; the
 * kernel drops the link's routes with it, so they are set again.
 */
export function serverLink(name: string, state: 'up' | 'down'): Argv[] {
  const ns = realServerNamespace(name);
  return [['ip', '-n', ns, 'link', 'set', LINK, state], ...(state === 'up' ? routes(ns) : [])];
}

/** Once per boot, before the harness starts inside the client namespace. */
export function baseTopology(): Argv[] {
  return [
    ['ip', 'netns', 'add', SWITCH_NS],
    ['ip', '-n', SWITCH_NS, 'link', 'add', BRIDGE, 'type', 'bridge'],
    ['ip', '-n', SWITCH_NS, 'link', 'set', BRIDGE, 'up'],
    ...attach(CLIENT_NS, 'vc0'),
  ];
}

function sysctl(ns: string, key: string, value: number): Argv {
  return ['ip', 'netns', 'exec', ns, 'sysctl', '-qw', `${key}=${value}`];
}

export interface SuiteTopology {
  vip: string;
  realServers: ReadonlyArray<{ name: string; address: string }>;
  /** Shard client namespaces beside the harness's own (`--shards N`), each holding its block of the sources. */
  shardClients?: number;
}

function shardClientNamespaces(t: SuiteTopology): string[] {
  return Array.from({ length: t.shardClients ?? 0 }, (_, i) => shardClientNamespace(i));
}

export function suiteTopology(t: SuiteTopology): Argv[] {
  // The kernel dropped the client link's routes with the previous suite's last address.
  const client = routes(CLIENT_NS);
  const director = [
    ...attach(DIRECTOR_NS, 'vd0'),
    // The DIP first, so it is the address arp_announce=2 picks for the director's ARP requests.
    ['ip', '-n', DIRECTOR_NS, 'addr', 'add', `${DIRECTOR_IP}/32`, 'dev', LINK],
    ['ip', '-n', DIRECTOR_NS, 'addr', 'add', `${t.vip}/32`, 'dev', LINK],
    sysctl(DIRECTOR_NS, 'net.ipv4.conf.all.arp_announce', 2),
  ];
  const servers = t.realServers.flatMap((rs, i) => {
    const ns = realServerNamespace(rs.name);
    return [
      ...attach(ns, `vr${i}`),
      // DR: the VIP is local on lo so the server accepts packets for it, but it must never answer
      // ARP for it (only the director does), nor announce it as the source of its own ARP requests.
      sysctl(ns, 'net.ipv4.conf.all.arp_ignore', 1),
      sysctl(ns, 'net.ipv4.conf.all.arp_announce', 2),
      // busybox telnetd listens with a backlog of 1. With SYN cookies, a burst's extra connections
      // complete their handshake by cookie, find the accept queue full and are dropped without a
      // trace: the client waits for a banner forever. Without cookies their SYNs are retried instead.
      sysctl(ns, 'net.ipv4.tcp_syncookies', 0),
      ['ip', '-n', ns, 'addr', 'add', `${rs.address}/32`, 'dev', LINK],
      ['ip', '-n', ns, 'addr', 'add', `${t.vip}/32`, 'dev', 'lo'],
    ];
  });
  const shards = shardClientNamespaces(t).flatMap((ns, i) => attach(ns, `vs${i}`));
  return [...client, ...director, ...servers, ...shards];
}

/**
 * `ip -batch` lines giving the client namespace one address per emulated user, or taking them back.
 * Only these are removed after a suite (the link's routes go with the last of them, and each suite
 * sets them again).
 */
export function clientAddressBatch(sources: readonly string[], op: 'add' | 'del'): string {
  return sources.map((a) => `address ${op} ${a}/32 dev ${LINK}\n`).join('');
}

export function clientBatch(ns: string): Argv {
  return ['ip', '-n', ns, '-batch', '-'];
}

export function suiteTeardown(t: SuiteTopology): Argv[] {
  // The links first, from the switch's side: a namespace outlives `ip netns del` while a socket in it
  // still closes (a FIN retransmitted to a client the director no longer lets answer), and its veth
  // with it, which would take the next suite's link names.
  const shards = shardClientNamespaces(t);
  const links = ['vd0', ...t.realServers.map((_, i) => `vr${i}`), ...shards.map((_, i) => `vs${i}`)].map((outer) => ['ip', '-n', SWITCH_NS, 'link', 'del', outer]);
  return [...links, ...[DIRECTOR_NS, ...t.realServers.map((rs) => realServerNamespace(rs.name)), ...shards].map((ns) => ['ip', 'netns', 'del', ns])];
}
