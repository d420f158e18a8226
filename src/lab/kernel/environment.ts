/**
 * What the kernel lab needs from the host, found or reported all at once: root, qemu, a kernel with
 * IPVS modules, a static busybox for the initramfs, and the tools the guest runs from the host's own
 * root file system (shared read-only over 9p). Each missing thing names its Debian package.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInvalidEnvironmentError } from '../../core/errors.js';

export interface KernelEnvironment {
  qemu: string;
  /** /boot/vmlinuz-<version> */
  kernel: string;
  /** /lib/modules/<version>/kernel */
  modules: string;
  busybox: string;
}

const SEARCH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function which(command: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...SEARCH]) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** A dynamically linked ELF names its loader (ld-linux) near the start; a static one does not. */
function isStatic(file: string): boolean {
  return !readFileSync(file).subarray(0, 4096).includes('ld-linux');
}

/** The newest installed kernel that ships the IPVS modules. */
function findKernel(): { kernel: string; modules: string } | null {
  const versions = existsSync('/boot') ? readdirSync('/boot').filter((f) => f.startsWith('vmlinuz-')).map((f) => f.slice(8)) : [];
  const usable = versions
    .filter((v) => existsSync(`/lib/modules/${v}/kernel/net/netfilter/ipvs/ip_vs.ko`))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  return usable[0] ? { kernel: `/boot/vmlinuz-${usable[0]}`, modules: `/lib/modules/${usable[0]}/kernel` } : null;
}

/** Commands the guest runs, from the host's root, and the package each comes from. */
const GUEST_TOOLS: Array<[string, string]> = [
  ['ipvsadm', 'ipvsadm'],
  ['ip', 'iproute2'],
  ['nft', 'nftables'],
  ['nginx', 'nginx-light'],
  ['vsftpd', 'vsftpd'],
  ['openssl', 'openssl'],
  ['unshare', 'util-linux'],
  ['sysctl', 'procps'],
  ['modprobe', 'kmod'],
  ['keepalived', 'keepalived'],
];

export function checkKernelEnvironment(uid = process.getuid?.() ?? -1): KernelEnvironment {
  const missing: string[] = [];
  const packages: string[] = [];
  const need = (what: string, pkg: string): void => {
    missing.push(what);
    if (!packages.includes(pkg)) packages.push(pkg);
  };
  if (uid !== 0) missing.push('root (the lab needs it to boot the guest and configure IPVS inside it)');
  const qemu = which('qemu-system-x86_64');
  if (!qemu) need('qemu-system-x86_64', 'qemu-system-x86');
  const kernel = findKernel();
  if (!kernel) need('a kernel with IPVS modules in /boot and /lib/modules', 'linux-image-amd64');
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((f) => existsSync(f) && isStatic(f));
  if (!busybox) need('a statically linked busybox', 'busybox-static');
  for (const [tool, pkg] of GUEST_TOOLS) if (!which(tool)) need(tool, pkg);
  if (missing.length > 0) throw createInvalidEnvironmentError(missing, packages);
  return { qemu: qemu!, ...kernel!, busybox: busybox! };
}
