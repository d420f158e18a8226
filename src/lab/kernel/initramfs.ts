/**
 * The guest's initramfs: a static busybox, the virtio and 9p modules (the Debian kernel has them as
 * modules, and they must be loaded before the host's root can be mounted), and an init that mounts
 * the host's `/` read-only, chroots into it and runs the job the host left in the job share. Built
 * once per kernel and init text, into a cache folder.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cpioArchive, type CpioEntry } from './cpio.js';
import type { KernelEnvironment } from './environment.js';

/** In dependency order: another order fails with "unknown symbol" (kernel-lab.md). */
export const BOOT_MODULES = [
  'drivers/virtio/virtio_ring',
  'drivers/virtio/virtio',
  'drivers/virtio/virtio_pci_legacy_dev',
  'drivers/virtio/virtio_pci_modern_dev',
  'drivers/virtio/virtio_pci',
  'fs/netfs/netfs',
  'fs/fscache/fscache',
  'net/9p/9pnet',
  'net/9p/9pnet_virtio',
  'fs/9p/9p',
];

/** Where the guest finds the job share after the chroot. */
export const GUEST_JOB_DIR = '/run/lvs-job';
export const JOB_SCRIPT = 'job.sh';

const NINE_P = 'trans=virtio,version=9p2000.L,msize=262144';

export function initScript(): string {
  const bb = '/bin/busybox';
  const insmod = BOOT_MODULES.map((m) => `${bb} insmod /mod/${path.basename(m)}.ko || echo "lvs-harness: insmod ${path.basename(m)} failed"`);
  return [
    `#!${bb} sh`,
    `${bb} mount -t proc proc /proc`,
    `${bb} mount -t sysfs sys /sys`,
    `${bb} mount -t devtmpfs dev /dev`,
    ...insmod,
    `${bb} mount -t 9p -o ${NINE_P},ro,cache=loose hostroot /newroot || echo "lvs-harness: cannot mount the host root"`,
    // The host's root is read-only: /run (where `ip netns` keeps its names) is the guest's own, and
    // the guest's TMPDIR is in it. /tmp stays the host's, so suites and results there are seen.
    `${bb} mount -t tmpfs run /newroot/run`,
    `${bb} mkdir -p /newroot${GUEST_JOB_DIR}`,
    `${bb} mount -t 9p -o ${NINE_P} job /newroot${GUEST_JOB_DIR}`,
    `${bb} mount --move /proc /newroot/proc`,
    `${bb} mount --move /sys /newroot/sys`,
    `${bb} mount --move /dev /newroot/dev`,
    `${bb} chroot /newroot /bin/sh ${GUEST_JOB_DIR}/${JOB_SCRIPT}`,
    // Whatever the job did, the guest powers off so that qemu (-no-reboot) exits.
    `${bb} sync`,
    `${bb} poweroff -f`,
    '',
  ].join('\n');
}

async function buildArchive(env: KernelEnvironment, init: string): Promise<Buffer> {
  const modules = await Promise.all(
    BOOT_MODULES.map(async (m): Promise<CpioEntry> => ({ kind: 'file', path: `mod/${path.basename(m)}.ko`, data: await readFile(path.join(env.modules, `${m}.ko`)) })),
  );
  return cpioArchive([
    ...['bin', 'dev', 'mod', 'newroot', 'proc', 'sys'].map((d): CpioEntry => ({ kind: 'dir', path: d })),
    { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: await readFile(env.busybox), executable: true },
    { kind: 'file', path: 'init', data: Buffer.from(init), executable: true },
    ...modules,
  ]);
}

/** The initramfs for this kernel, built if the cache does not hold it yet. */
export async function ensureInitramfs(env: KernelEnvironment, cacheDir = path.join(os.tmpdir(), 'lvs-harness-kernel')): Promise<string> {
  const init = initScript();
  const key = createHash('sha256').update(env.kernel).update(env.busybox).update(init).digest('hex').slice(0, 16);
  const file = path.join(cacheDir, `initramfs-${key}.cpio`);
  if (existsSync(file)) return file;
  await mkdir(cacheDir, { recursive: true });
  // Written aside and renamed, so a concurrent or interrupted build never leaves half an archive.
  const partial = `${file}.${process.pid}`;
  await writeFile(partial, await buildArchive(env, init));
  await rename(partial, file);
  return file;
}
