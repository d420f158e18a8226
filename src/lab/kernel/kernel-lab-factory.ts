/**
 * The kernel lab's LabFactory, used by the harness running inside the guest. Suites arrive already
 * moved to guest addresses (guest-addresses.ts); a director config from a dump is moved the same way.
 */
import type { LabFactory } from '../lab.js';
import { directorConfigFor } from '../director-config.js';
import type { DirectorConfigOverride } from '../director-config-file.js';
import { guestDirectorConfig, guestServerAddress } from './guest-addresses.js';
import { startKernelLab } from './kernel-lab.js';

export function kernelLabFactory(override?: DirectorConfigOverride): LabFactory {
  return async (suite) =>
    startKernelLab({
      config: override ? guestDirectorConfig(override(suite, guestServerAddress)) : directorConfigFor(suite.spec.vip, suite.spec.service),
      vip: suite.spec.vip,
      sources: suite.sources,
      probes: suite.spec.probes,
    });
}
