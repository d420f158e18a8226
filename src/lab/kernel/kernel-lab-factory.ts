/**
 * The kernel lab's LabFactory, used by the harness running inside the guest. Suites arrive already
 * moved to guest addresses (guest-addresses.ts); a director config from a dump is moved the same way,
 * and so is a keepalived.conf's virtual server (the suite's or --director-config's), for keepalived.
 */
import type { LabFactory } from '../lab.js';
import { directorConfigFor } from '../director-config.js';
import type { DirectorConfigOverride } from '../director-config-file.js';
import { guestDirectorConfig, guestKeepalived, guestServerAddress } from './guest-addresses.js';
import { attachKernelLab, startKernelLab } from './kernel-lab.js';

/** `shardClients`: the sources spread over that many shard client namespaces (`run --lab kernel --shards N`). */
export function kernelLabFactory(override?: DirectorConfigOverride, shardClients?: number): LabFactory {
  return async (suite) => {
    // A keepalived.conf given on the command line stands for the director, whatever the suite says.
    const keepalived = override ? override.keepalived : suite.keepalived && [suite.keepalived.virtualServer];
    return startKernelLab({
      config: override ? guestDirectorConfig(override(suite, guestServerAddress)) : directorConfigFor(suite.spec.vip, suite.spec.service),
      vip: suite.spec.vip,
      sources: suite.sources,
      probes: suite.spec.probes,
      laterServers: suite.spec.changes.flatMap((c) => (c.action.kind === 'add' ? [{ name: c.action.server, address: c.action.address }] : [])),
      ...(keepalived ? { keepalived: keepalived.map(guestKeepalived) } : {}),
      ...(shardClients === undefined ? {} : { shardClients }),
    });
  };
}

/** A shard in the guest (`run --lab kernel --shard i/N` there): the lab already up in this boot, read, not built. */
export function attachedKernelLabFactory(): LabFactory {
  return async (suite) =>
    attachKernelLab({ config: directorConfigFor(suite.spec.vip, suite.spec.service), vip: suite.spec.vip, sources: suite.sources, probes: suite.spec.probes });
}
