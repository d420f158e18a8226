/**
 * The tutorial suites against wrong directors on the embedded lab, at their own size and at the sizes
 * the kernel tier runs them with: each wrong director must fail a check (a mismatch or "cannot
 * confirm"), each correct one must pass. A PASS is only worth something if these fail.
 */
import { expect } from 'chai';
import { ExitCode } from '../../src/core/exit-codes.js';
import { directorConfigFor } from '../../src/lab/director-config.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';
import { limitClients } from '../../src/suite/max-clients.js';
import type { LoadedSuite } from '../../src/suite/load-suite.js';
import { runSuites } from '../helpers/run-helpers.js';
import { KERNEL_TIER_CLIENTS } from '../kernel/kernel-sizes.js';

type Service = LoadedSuite['spec']['service'];
type Wrong = (svc: Service) => Partial<Service>;

const swapped: Wrong = (svc) => ({ realServers: svc.realServers.map((rs, i, all) => ({ ...rs, weight: all[all.length - 1 - i]!.weight })) });
const equal: Wrong = (svc) => ({ realServers: svc.realServers.map((rs) => ({ ...rs, weight: 1 })) });
const quiescent: Wrong = (svc) => ({ realServers: svc.realServers.map((rs, i) => ({ ...rs, weight: i === 0 ? 0 : rs.weight })) });
const extraServer: Wrong = (svc) => ({ realServers: [...svc.realServers, { name: 'web9', address: '127.0.9.9', weight: svc.realServers[0]!.weight }] });
// 60 s where 1000 s is meant: no client of these suites is idle that long, so only the config check can tell.
const shortTimeout: Wrong = (svc) => ({ persistence: { ...svc.persistence!, timeout: 60 } });
const coarse: Wrong = (svc) => ({ persistence: { ...svc.persistence!, netmask: '255.255.255.0' } });
const scheduler = (s: Service['scheduler']): Wrong => () => ({ scheduler: s });
const noPersistence: Wrong = () => ({ persistence: null });
const perPort = (persistent: boolean): Wrong => (svc) => ({ kind: 'ppc', port: undefined, ports: [8080, 8081, 2323], persistence: persistent ? svc.persistence : null });
const allPorts: Wrong = () => ({ kind: 'pcc', port: 0, ports: undefined });
const noPassiveRange: Wrong = (svc) => ({ ports: (svc.ports ?? []).filter((p) => typeof p === 'number') });

const CASES: Record<string, Record<string, Wrong>> = {
  'suites/pcc.yaml': {
    'weights swapped': swapped,
    'weights equal': equal,
    'rr for wrr': scheduler('rr'),
    'lc for wrr': scheduler('lc'),
    'a weight-0 server': quiescent,
    'an extra server': extraServer,
    'a coarser netmask': coarse,
    'a short persistence timeout': shortTimeout,
    'PPC for PCC': perPort(true),
    'no persistence': perPort(false),
  },
  'suites/ppc.yaml': {
    'weights swapped': swapped,
    'weights equal': equal,
    'lc for wlc': scheduler('lc'),
    'a weight-0 server': quiescent,
    'an extra server': extraServer,
    'PCC for PPC': allPorts,
    'a short persistence timeout': shortTimeout,
    'no persistence': noPersistence,
  },
  'suites/fwmark-ftp.yaml': {
    'weights swapped': swapped,
    'weights equal': equal,
    'rr for wrr': scheduler('rr'),
    'no persistence': noPersistence,
    'no passive range in the mark': noPassiveRange,
    'a short persistence timeout': shortTimeout,
  },
};

function director(wrong: Wrong | null) {
  return (suite: LoadedSuite): DirectorConfig => directorConfigFor(suite.spec.vip, { ...suite.spec.service, ...(wrong ? wrong(suite.spec.service) : {}) });
}

describe('wrong directors fail the tutorial suites, correct ones pass (embedded lab)', function () {
  this.timeout(120_000);
  for (const [file, wrongs] of Object.entries(CASES)) {
    const name = file.replace(/^suites\/|\.yaml$/g, '');
    for (const [label, clients] of [['own size', undefined], ['kernel tier size', KERNEL_TIER_CLIENTS[name]]] as const) {
      const prepareSuite = limitClients(clients);
      it(`${name} at its ${label}: the correct director passes`, async () => {
        const c = await runSuites([file], { directorConfig: director(null), prepareSuite });
        expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts.filter((v) => v.status !== 'pass'), null, 1)).to.equal(ExitCode.Passed);
      });
      for (const [what, wrong] of Object.entries(wrongs)) {
        it(`${name} at its ${label}: ${what} fails`, async () => {
          const c = await runSuites([file], { directorConfig: director(wrong), prepareSuite });
          expect(c.exitCode, JSON.stringify(c.results, null, 1).slice(0, 2000)).to.equal(ExitCode.ChecksFailed);
          const failed = c.results.suites[0]!.verdicts.filter((v) => v.status === 'fail');
          expect(failed.length).to.be.greaterThan(0);
          console.log(`      ${what}: ${failed.map((v) => `${v.check}: ${v.seen}`).join(' | ').slice(0, 400)}`);
        });
      }
    }
  }
});
