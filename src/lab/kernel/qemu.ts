/**
 * Boots the guest under qemu and waits for it to power off. TCG, not KVM: on these machines KVM
 * aborts or hangs (kernel-lab.md). No network device at all (`-nic none`): every lab packet stays
 * inside the guest's namespaces. The host's `/` is shared read-only; the job and results folders are
 * the only writable shares.
 */
import { spawn } from 'node:child_process';
import type { KernelEnvironment } from './environment.js';

export interface BootOptions {
  env: KernelEnvironment;
  initramfs: string;
  jobDir: string;
  resultsDir: string;
  /** The whole boot, job included, is killed after this. */
  timeoutMs: number;
  signal: AbortSignal;
  /** 'forward': console lines go to `onLine`; 'interactive': the guest's console is this terminal. */
  console: 'forward' | 'interactive';
  onLine(line: string): void;
}

export interface BootResult {
  timedOut: boolean;
  aborted: boolean;
}

export function qemuArgs(o: Pick<BootOptions, 'env' | 'initramfs' | 'jobDir' | 'resultsDir'>): string[] {
  const share = (path: string, tag: string, extra = ''): string[] => ['-virtfs', `local,path=${path},mount_tag=${tag},security_model=none${extra}`];
  return [
    '-accel', 'tcg,thread=multi', '-cpu', 'max', '-m', '2048', '-smp', '2',
    '-nic', 'none', '-no-reboot', '-display', 'none', '-serial', 'stdio', '-monitor', 'none',
    '-kernel', o.env.kernel, '-initrd', o.initramfs,
    '-append', 'console=ttyS0 panic=-1 quiet loglevel=3',
    ...share('/', 'hostroot', ',readonly=on,multidevs=remap'),
    ...share(o.jobDir, 'job'),
    ...share(o.resultsDir, 'results'),
  ];
}

export function bootGuest(o: BootOptions): Promise<BootResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.env.qemu, qemuArgs(o), { stdio: o.console === 'interactive' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const result: BootResult = { timedOut: false, aborted: false };
    const timer = setTimeout(() => {
      result.timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    const onAbort = (): void => {
      result.aborted = true;
      child.kill('SIGTERM');
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    let pending = '';
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('utf8').replace(/\r/g, '');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) o.onLine(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      if (pending) o.onLine(pending);
      resolve(result);
    });
  });
}
