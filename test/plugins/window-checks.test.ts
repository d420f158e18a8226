import { expect } from 'chai';
import disruption from '../../plugins/disruption.js';
import drain from '../../plugins/drain.js';
import failover from '../../plugins/failover.js';
import persistenceTimeout from '../../plugins/persistence-timeout.js';
import type { ChangeWindow } from '../../src/model/change-window.js';
import type { CheckPlugin, SuiteView } from '../../src/model/plugin.js';
import type { CheckOutcome } from '../../src/model/verdict.js';
import { suiteSchema } from '../../src/suite/schema.js';

const spec = suiteSchema.parse({
  vip: '127.0.0.100',
  service: { kind: 'pcc', port: 0, persistence: { timeout: 30 }, realServers: [{ name: 'web1', address: '127.0.1.1' }, { name: 'web2', address: '127.0.1.2' }] },
  probes: [{ name: 'http', type: 'http', port: 8080, identify: { header: 'x-real-server' } }],
  clients: { sources: '127.0.0.2-127.0.0.9' },
});
const view: SuiteView = { name: 's', file: 's.yaml', vip: spec.vip, service: spec.service, probes: spec.probes, traffic: spec.traffic, clients: { count: 8, first: '127.0.0.2', last: '127.0.0.9' }, sources: [], lab: 'embedded', directorRead: true };
const EMPTY: ChangeWindow = { changes: [], sessions: [], timeline: { bucketMs: 1000, seconds: 1, servers: [], rows: {}, changes: [] } };

async function verdict(plugin: CheckPlugin<never>, options: unknown, window?: ChangeWindow): Promise<CheckOutcome> {
  const hooks = (plugin as unknown as CheckPlugin).create(plugin.options.parse(options), view);
  return hooks.verdict({ suite: view, observations: [], lab: null, director: { before: null, after: null }, ...(window ? { window } : {}) });
}

describe('change-window checks with nothing to judge fail and say why', () => {
  it('drain, failover and disruption without their change; persistence-timeout without gaps traffic', async () => {
    const cases: [CheckPlugin<never>, unknown, RegExp][] = [
      [drain as CheckPlugin<never>, {}, /nothing to judge: no change set a server's weight to 0/],
      [failover as CheckPlugin<never>, {}, /nothing to judge: no change stopped a server/],
      [disruption as CheckPlugin<never>, { maxFailed: 0 }, /nothing to judge: no change was made/],
      [persistenceTimeout as CheckPlugin<never>, {}, /nothing to judge: the traffic does not idle on purpose/],
    ];
    for (const [plugin, options, seen] of cases) {
      for (const window of [undefined, EMPTY]) {
        const v = await verdict(plugin, options, window);
        expect(v.pass, plugin.name).to.equal(false);
        expect(v.seen, plugin.name).to.match(seen);
      }
    }
  });

  it('drain with its change but no traffic after it', async () => {
    const window: ChangeWindow = {
      ...EMPTY,
      changes: [{ index: 0, action: { kind: 'weight', server: 'web2', to: 0 }, label: 'weight web2 -> 0', plannedMs: 1000, effectiveMs: 1001, commands: [], error: null }],
    };
    const v = await verdict(drain as CheckPlugin<never>, {}, window);
    expect(v.pass).to.equal(false);
    expect(v.seen).to.match(/nothing to judge: no connection was made after the drain at 1\.00 s/);
  });

  it('disruption needs at least one budget', () => {
    expect(disruption.options.safeParse({}).success).to.equal(false);
    expect(disruption.options.safeParse({ maxMoved: 3 }).success).to.equal(true);
  });
});
