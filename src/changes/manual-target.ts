/**
 * `--manual`: the operator makes each change by hand on the real director and servers. At each
 * change's time the harness shows what to do (the commands it amounts to, for the suite's director)
 * and waits for Enter; the change is marked as taking effect at that moment, so the timeline and the
 * checks line up with what the operator actually did. Prompts go to `output` (stderr in the CLI:
 * stdout carries the results), answers come from `input` (the terminal).
 */
import { createInterface } from 'node:readline';

import type { IpvsService } from '../model/ipvs.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { directorConfigFor } from '../lab/director-config.js';
import type { ChangeRequest, ChangeTarget } from './change-target.js';
import { changeLabel } from './change-label.js';
import { serviceFlag } from './ipvsadm-flags.js';

export class ManualChangeTarget implements ChangeTarget {
  private readonly services: IpvsService[];
  private readonly addresses: Map<string, string>;

  constructor(
    suite: LoadedSuite,
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    this.services = directorConfigFor(suite.spec.vip, suite.spec.service).services;
    this.addresses = new Map(suite.spec.service.realServers.map((rs) => [rs.name, rs.address]));
    for (const c of suite.spec.changes) if (c.action.kind === 'add') this.addresses.set(c.action.server, c.action.address);
  }

  /** An operator can make any change, keepalived reloads included. */
  unsupported(): string | null {
    return null;
  }

  async apply(change: ChangeRequest, signal?: AbortSignal): Promise<string[]> {
    const commands = this.commands(change);
    this.output.write(`\n>>> change now: ${changeLabel(change)}\n${commands.map((c) => `    ${c}\n`).join('')}>>> press Enter once it is done `);
    await this.confirmed(signal);
    return commands.map((c) => `(by the operator) ${c}`);
  }

  /** Resolves at the next line typed; rejects if the traffic ends first. */
  private confirmed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: this.input, terminal: false });
      let settled = false;
      const done = (error: Error | null): void => {
        // Closing the interface below emits its close at once: that must not count as the terminal going.
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        lines.close();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => done(new Error('the operator did not confirm it before the traffic ended'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      lines.once('line', () => done(null));
      lines.once('close', () => done(new Error('the terminal closed before the operator confirmed it')));
    });
  }

  private commands(change: ChangeRequest): string[] {
    const address = 'server' in change ? (this.addresses.get(change.server) ?? change.server) : '';
    const onEach = (f: (flag: string) => string): string[] => this.services.map((s) => f(serviceFlag(s)));
    switch (change.kind) {
      case 'weight':
        return onEach((f) => `ipvsadm -e ${f} -r ${address} -w ${change.to}`);
      case 'remove':
        return onEach((f) => `ipvsadm -d ${f} -r ${address}`);
      case 'add':
        return onEach((f) => `ipvsadm -a ${f} -r ${change.address} -w ${change.weight}`);
      case 'stop':
        return [change.mode === 'reset' ? `stop the daemons on ${change.server} (${address})` : `cut ${change.server} (${address}) off the network`];
      case 'start':
        return [`bring ${change.server} (${address}) back`];
      case 'sysctl':
        return Object.entries(change.values).map(([k, v]) => `sysctl -w net.ipv4.vs.${k}=${String(v)}`);
      case 'apply':
        return [`ipvsadm -C && ipvsadm -R < ${change.file}`];
      case 'reload':
        return ['systemctl reload keepalived   (or: kill -HUP $(cat /run/keepalived.pid))'];
    }
  }
}

