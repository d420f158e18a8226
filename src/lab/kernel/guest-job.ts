/**
 * The script the guest runs once it has chrooted into the host's root: load the IPVS and network
 * modules, mount the host's results folder, build the bridge and the client namespace, then run the
 * harness inside the client namespace with the command line the host was given. Its exit code is
 * left in the job share for the host.
 */
import { GUEST_JOB_DIR } from './initramfs.js';
import { CLIENT_NS, baseTopology } from './topology.js';
import { shellLine, shellQuote } from '../../core/shell-words.js';

export const EXIT_CODE_FILE = 'exit-code';
/** Printed when the guest is ready; the host forwards the console from this line on. */
export const READY_MARKER = 'lvs-harness: guest ready';
/** Tells the harness it is the one inside the guest (the host's harness boots the guest instead). */
export const GUEST_ENV = 'LVS_HARNESS_IN_GUEST';
/** The guest's writable scratch space (the host's /tmp is read-only in there). */
export const GUEST_TMP = '/run/tmp';

const MODULES = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_lc', 'ip_vs_wlc', 'ip_vs_sh', 'veth', 'bridge', 'nf_tables'];

export interface GuestJob {
  /** The host's working directory: suite paths in `argv` are relative to it. */
  cwd: string;
  /** Absolute; mounted writable at the same path in the guest. */
  resultsDir: string;
  /** node and its arguments, then the harness's own arguments. */
  command: readonly string[];
  /** Variables the suites read at run time (their passwordEnv secrets): the guest has no other way to get them. */
  env: Readonly<Record<string, string>>;
}

export function guestJobScript(job: GuestJob): string {
  return [
    `export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=${GUEST_TMP} TMPDIR=${GUEST_TMP}`,
    `mkdir -p ${GUEST_TMP}`,
    ...Object.entries(job.env).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    // busybox telnetd gives each session a pty; devtmpfs has /dev/ptmx but not the devpts behind it.
    'mkdir -p /dev/pts && mount -t devpts devpts /dev/pts || exit 1',
    `mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results ${shellQuote(job.resultsDir)} || exit 1`,
    `modprobe -a ${MODULES.join(' ')} || exit 1`,
    ...baseTopology().map((argv) => `${shellLine(argv)} || exit 1`),
    `echo ${shellQuote(READY_MARKER)} "$(cut -d' ' -f1 /proc/uptime) s after boot"`,
    `cd ${shellQuote(job.cwd)} || exit 1`,
    `${GUEST_ENV}=1 ip netns exec ${CLIENT_NS} ${shellLine(job.command)} </dev/console`,
    `echo $? > ${GUEST_JOB_DIR}/${EXIT_CODE_FILE}`,
    `echo "lvs-harness: guest done $(cut -d' ' -f1 /proc/uptime) s after boot"`,
    '',
  ].join('\n');
}
