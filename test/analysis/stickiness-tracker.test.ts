/**
 * The stickiness kept per key as connections arrive gives the report the whole list once gave: real
 * traffic on the embedded lab (HTTP on two ports; FTP with its data connections), on a correct
 * director and on one without persistence (every key switching), compared with analyseStickiness
 * over the full list, sorted as the verdicts sorted it.
 */
import { expect } from 'chai';
import { withDataConnections } from '../../src/analysis/data-connections.js';
import { analyseStickiness, StickinessTracker, type StickinessReport } from '../../src/analysis/stickiness.js';
import { directorConfigFor } from '../../src/lab/director-config.js';
import type { Observation } from '../../src/model/observation.js';
import type { LoadedSuite } from '../../src/suite/load-suite.js';
import { runSuites } from '../helpers/run-helpers.js';

const LIFETIME_MS = 1_000_000;

/** Without persistence: a service per probe port (IPVS has no port-0 service without it). */
function withoutPersistence(suite: LoadedSuite) {
  const ports = [...new Set(suite.spec.probes.map((p) => p.port))];
  const service = suite.spec.service.kind === 'fwmark' ? { ...suite.spec.service, persistence: null } : { ...suite.spec.service, kind: 'ppc' as const, port: undefined, ports, persistence: null };
  return directorConfigFor(suite.spec.vip, service);
}

async function observed(file: string, persistent: boolean): Promise<Observation[]> {
  const c = await runSuites([file], persistent ? {} : { directorConfig: withoutPersistence });
  return c.events.flatMap((e) => (e.type === 'observation' ? [e.observation] : [])).sort((a, b) => a.seq - b.seq);
}

function tracked(observations: readonly Observation[], keyOf: (o: Observation) => string): StickinessReport {
  const tracker = new StickinessTracker(LIFETIME_MS, Infinity);
  for (const o of observations) {
    tracker.advance(o.startMs);
    for (const c of withDataConnections([o])) tracker.add(c, keyOf(c));
  }
  return tracker.report();
}

describe('stickiness kept per key as the connections arrive', function () {
  this.timeout(120_000);

  for (const [file, unit, keyOf] of [
    ['test/fixtures/suites/pcc-two-ports.yaml', 'client', (o: Observation) => o.client.address],
    ['test/fixtures/suites/pcc-two-ports.yaml', 'client and port', (o: Observation) => `${o.client.address}:${o.target.port}`],
    ['test/fixtures/suites/ftp-fwmark.yaml', 'client', (o: Observation) => o.client.address],
  ] as const) {
    for (const persistent of [true, false]) {
      it(`${file} per ${unit}, ${persistent ? 'a persistent' : 'a non-persistent'} director: the same report as the whole list gives`, async () => {
        const observations = await observed(file, persistent);
        const whole = analyseStickiness(withDataConnections(observations), keyOf, LIFETIME_MS);
        expect(tracked(observations, keyOf)).to.deep.equal(whole);
        if (!persistent) expect(whole.violatedKeys).to.be.greaterThan(0);
      });
    }
  }

  it('keeps only the first switches of each key, and counts them all', async () => {
    const observations = await observed('test/fixtures/suites/pcc-two-ports.yaml', false);
    const tracker = new StickinessTracker(LIFETIME_MS, 1);
    for (const o of observations) {
      tracker.advance(o.startMs);
      tracker.add(o, o.client.address);
    }
    const whole = analyseStickiness(observations, (o) => o.client.address, LIFETIME_MS);
    const kept = tracker.report();
    expect(kept.violatedKeys).to.equal(whole.violatedKeys);
    expect(kept.violations.length).to.equal(whole.violatedKeys);
    expect(kept.violations.map((v) => v.key)).to.deep.equal([...new Set(whole.violations.map((v) => v.key))]);
  });
});
