/**
 * Regenerates test/fixtures/director/kernel-6.1/: every text the director parsers read, as the real
 * ipvsadm and the real kernel print them. One boot of the kernel lab's guest (root; `npx tsx
 * scripts/kernel-director-fixtures.ts`): a director namespace is given services that use every
 * scheduler the kernel ships, -b flags, -o, --pe sip, -M, thresholds, masq/route/tunnel servers
 * (ipip, gue, gre and their checksum options), port mapping, sctp, IPv6 address and fwmark services;
 * a client namespace sends a little traffic (TCP through DR to busybox httpd, UDP, a SIP datagram,
 * a fwmark-marked port, IPv6) so that counters, rates and connection entries are not all zero; then
 * every listing is written to the fixture folder. All addresses exist only inside the guest.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkKernelEnvironment } from '../src/lab/kernel/environment.js';
import { shellQuote } from '../src/core/shell-words.js';
import { GUEST_JOB_DIR, JOB_SCRIPT, ensureInitramfs } from '../src/lab/kernel/initramfs.js';
import { bootGuest } from '../src/lab/kernel/qemu.js';
import { CLIENT_NS, DIRECTOR_NS, baseTopology, realServerNamespace, suiteTopology } from '../src/lab/kernel/topology.js';

const OUT = path.resolve('test/fixtures/director/kernel-6.1');
const VIP = '100.64.0.100';
const WEB = [
  { name: 'web1', address: '100.64.1.1', v6: 'fd00::11' },
  { name: 'web2', address: '100.64.1.2', v6: 'fd00::12' },
];
const CLIENTS = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.1.5'];
const HOSTS = [`${VIP} vip.lab`, ...WEB.flatMap((w) => [`${w.address} ${w.name}.lab`, `${w.v6} ${w.name}6.lab`]), 'fd00::6 vip6.lab'].join('\n');
const MODULES = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_lc', 'ip_vs_wlc', 'ip_vs_lblc', 'ip_vs_lblcr', 'ip_vs_dh', 'ip_vs_sh',
  'ip_vs_sed', 'ip_vs_nq', 'ip_vs_fo', 'ip_vs_ovf', 'ip_vs_mh', 'ip_vs_pe_sip', 'veth', 'bridge', 'nf_tables', 'fou'];

/** ipvsadm lines as an operator types them; `twos` is not in 6.1, its failure is kept as evidence. */
const IPVSADM = [
  `-A -t ${VIP}:80 -s wrr -p 300 -M 255.255.255.0`,
  `-a -t ${VIP}:80 -r 100.64.1.1:80 -g -w 100`,
  `-a -t ${VIP}:80 -r 100.64.1.2:80 -g -w 200 -x 1000 -y 10`,
  `-A -t ${VIP}:0 -s rr -p 1000`,
  `-a -t ${VIP}:0 -r 100.64.1.1 -g -w 1`,
  `-a -t ${VIP}:0 -r 100.64.1.2 -g -w 0`,
  `-A -t ${VIP}:8080 -s wlc`,
  `-a -t ${VIP}:8080 -r 100.64.1.1:80 -m -w 5`,
  `-a -t ${VIP}:8080 -r 100.64.1.2:8080 -i --tun-type gue --tun-port 6080 --tun-nocsum -w 3`,
  `-a -t ${VIP}:8080 -r 100.64.1.3:8080 -i --tun-type gre --tun-csum -w 2`,
  `-a -t ${VIP}:8080 -r 100.64.1.4:8080 -i --tun-type gue --tun-port 6081 --tun-remcsum -w 1`,
  `-a -t ${VIP}:8080 -r 100.64.1.5:8080 -i -w 1`,
  `-A -u ${VIP}:53 -s sh -b sh-fallback,sh-port -o`,
  `-a -u ${VIP}:53 -r 100.64.1.1:5353 -m -w 1`,
  `-a -u ${VIP}:53 -r 100.64.1.2:5353 -m -w 2`,
  `-A -u ${VIP}:5060 -s nq -p 30 --pe sip`,
  `-a -u ${VIP}:5060 -r 100.64.1.1 -g`,
  `-A --sctp-service ${VIP}:3868 -s ovf`,
  `-a --sctp-service ${VIP}:3868 -r 100.64.1.1:3868 -g -w 4 -x 50 -y 5`,
  `-A -t ${VIP}:443 -s lblc`,
  `-a -t ${VIP}:443 -r 100.64.1.1:443 -g`,
  `-A -t ${VIP}:444 -s lblcr`,
  `-a -t ${VIP}:444 -r 100.64.1.2:444 -g`,
  `-A -t ${VIP}:445 -s dh`,
  `-A -t ${VIP}:446 -s fo -b flag-1,flag-3`,
  `-a -t ${VIP}:446 -r 100.64.1.1:446 -g -w 7`,
  `-A -t ${VIP}:447 -s twos`,
  `-A -f 1 -s mh -b mh-fallback,mh-port -p 60`,
  `-a -f 1 -r 100.64.1.1:0 -g -w 1`,
  `-a -f 1 -r 100.64.1.2:0 -g -w 1`,
  `-A -f 2 -6 -s lc -p 120 -M 64`,
  `-a -f 2 -6 -r [fd00::11]:0 -g`,
  `-A -t [fd00::6]:80 -s sed -p 600 -M 64`,
  `-a -t [fd00::6]:80 -r [fd00::11]:80 -g -w 10`,
  `-a -t [fd00::6]:80 -r [fd00::12]:80 -m -w 20`,
  `-A -u [fd00::6]:53 -s fo`,
  `-a -u [fd00::6]:53 -r [fd00::11]:53 -m -w 1`,
  '--set 800 100 200',
];

/** What the client sends, bounded: every socket is closed or timed out within 3 s. */
const TRAFFIC = `
import net from 'node:net';
import dgram from 'node:dgram';
const tcp = (host, port, localAddress, http) => new Promise((done) => {
  const s = net.connect({ host, port, localAddress });
  s.setTimeout(3000, () => s.destroy());
  s.on('connect', () => { if (http) s.write('GET / HTTP/1.0\\r\\n\\r\\n'); else setTimeout(() => s.destroy(), 200); });
  s.on('data', () => {}); s.on('error', () => {}); s.on('close', done);
});
const udp = (type, host, port, address, text) => new Promise((done) => {
  const s = dgram.createSocket(type);
  s.bind({ address }, () => s.send(text, port, host, () => { s.close(); done(); }));
});
const clients = ${JSON.stringify(CLIENTS)};
const sip = 'OPTIONS sip:lab@${VIP} SIP/2.0\\r\\nCall-ID: a84b4c76e66710@client\\r\\nContent-Length: 0\\r\\n\\r\\n';
for (const c of clients) {
  await tcp('${VIP}', 80, c, true);
  await tcp('${VIP}', 22, c, false);
  await tcp('${VIP}', 8080, c, false);
  await tcp('${VIP}', 21, c, false);
  await udp('udp4', '${VIP}', 53, c, 'dns?');
}
await udp('udp4', '${VIP}', 5060, clients[0], sip);
await tcp('fd00::6', 80, 'fd00::100', true);
await udp('udp6', 'fd00::6', 53, 'fd00::100', 'dns?');
`;

/** Each file name says which command printed it. */
const OUTPUTS: Array<[string, string]> = [
  ['ipvsadm-S-n.txt', 'ipvsadm -S -n'],
  ['ipvsadm-Ln.txt', 'ipvsadm -Ln'],
  ['ipvsadm-L.txt', 'timeout 60 ipvsadm -L'],
  ['ipvsadm-Ln-nosort.txt', 'ipvsadm -Ln --nosort'],
  ['ipvsadm-Ln-stats.txt', 'ipvsadm -Ln --stats'],
  ['ipvsadm-Ln-stats-exact.txt', 'ipvsadm -Ln --stats --exact'],
  ['ipvsadm-Ln-rate.txt', 'ipvsadm -Ln --rate'],
  ['ipvsadm-Ln-rate-exact.txt', 'ipvsadm -Ln --rate --exact'],
  ['ipvsadm-Ln-persistent-conn.txt', 'ipvsadm -Ln --persistent-conn'],
  ['ipvsadm-Ln-thresholds.txt', 'ipvsadm -Ln --thresholds'],
  ['ipvsadm-Ln-tun-info.txt', 'ipvsadm -Ln --tun-info'],
  ['ipvsadm-Lcn.txt', 'ipvsadm -Lcn'],
  ['ipvsadm-Lcn-persistent-conn.txt', 'ipvsadm -Lcn --persistent-conn'],
  ['ipvsadm-Ln-timeout.txt', 'ipvsadm -Ln --timeout'],
  ['proc-net-ip_vs.txt', 'cat /proc/net/ip_vs'],
  ['proc-net-ip_vs_conn.txt', 'cat /proc/net/ip_vs_conn'],
  ['proc-net-ip_vs_stats.txt', 'cat /proc/net/ip_vs_stats'],
  ['sysctl-net.ipv4.vs.txt', 'sysctl net.ipv4.vs'],
];

function jobScript(): string {
  const q = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');
  const inNs = (ns: string, command: string): string => `ip netns exec ${ns} sh -c ${shellQuote(command)}`;
  const d = (command: string): string => inNs(DIRECTOR_NS, command);
  const topology = suiteTopology({ vip: VIP, realServers: WEB });
  return [
    'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/run/tmp TMPDIR=/run/tmp',
    'mkdir -p /run/tmp /run/www && echo lab > /run/www/index.html',
    `mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results ${shellQuote(OUT)} || exit 1`,
    // `ipvsadm -L` resolves names: from a hosts file of the lab's own, never from a DNS server.
    `printf '%s\\n' ${shellQuote(HOSTS)} > /run/tmp/hosts && mount --bind /run/tmp/hosts /etc/hosts || exit 1`,
    ': > /run/tmp/resolv.conf && mount --bind /run/tmp/resolv.conf /etc/resolv.conf || exit 1',
    `for m in ${MODULES.join(' ')}; do modprobe $m || echo "modprobe $m failed"; done`,
    ...[...baseTopology(), ...topology].map((argv) => `${q(argv)} || exit 1`),
    ...CLIENTS.map((a) => `ip -n ${CLIENT_NS} addr add ${a}/32 dev eth0`),
    `ip -n ${CLIENT_NS} addr add fd00::100/64 dev eth0 nodad`,
    `ip -n ${DIRECTOR_NS} addr add fd00::6/64 dev eth0 nodad`,
    ...WEB.flatMap((w) => [
      `ip -n ${realServerNamespace(w.name)} addr add ${w.v6}/64 dev eth0 nodad`,
      `ip -n ${realServerNamespace(w.name)} addr add fd00::6/128 dev lo nodad`,
      `ip netns exec ${realServerNamespace(w.name)} busybox httpd -p 80 -h /run/www`,
    ]),
    d(`nft add table ip lab && nft add chain ip lab pre '{ type filter hook prerouting priority -150; }' && nft add rule ip lab pre ip daddr ${VIP} tcp dport 21 meta mark set 1`),
    ...IPVSADM.map((line) => `${d(`ipvsadm ${line}`)} || echo ${shellQuote(`failed: ipvsadm ${line}`)}`),
    `cat > /run/tmp/traffic.mjs <<'EOF'\n${TRAFFIC}\nEOF`,
    `ip netns exec ${CLIENT_NS} node /run/tmp/traffic.mjs`,
    // Leaves the rate estimator (2 s periods, started late by 6.1's estimator kthreads) time to see the traffic.
    'sleep 6',
    ...OUTPUTS.map(([file, command]) => `${d(command)} > ${shellQuote(path.join(OUT, file))} 2>&1`),
    `{ uname -r; ipvsadm -v; } > ${shellQuote(path.join(OUT, 'versions.txt'))} 2>&1`,
    'echo "director fixtures: done"',
    '',
  ].join('\n');
}

const env = checkKernelEnvironment();
const initramfs = await ensureInitramfs(env);
await mkdir(OUT, { recursive: true });
const jobDir = await mkdtemp(path.join(os.tmpdir(), 'lvs-fixtures-job-'));
try {
  await writeFile(path.join(jobDir, JOB_SCRIPT), jobScript(), { mode: 0o600 });
  const result = await bootGuest({
    env,
    initramfs,
    jobDir,
    resultsDir: OUT,
    timeoutMs: 600_000,
    signal: new AbortController().signal,
    console: 'forward',
    onLine: (line) => process.stdout.write(`${line}\n`),
  });
  if (result.timedOut) throw new Error('the guest did not finish in 600 s');
  process.stdout.write(`fixtures in ${OUT} (job script ran from ${GUEST_JOB_DIR})\n`);
} finally {
  await rm(jobDir, { recursive: true, force: true });
}
