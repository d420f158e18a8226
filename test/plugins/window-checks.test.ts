import { expect } from 'chai';
import type { Observation } from '../../src/model/observation.js';
import disruption from '../../plugins/disruption.js';
import drain from '../../plugins/drain.js';
import failover from '../../plugins/failover.js';
import persistenceTimeout from '../../plugins/persistence-timeout.js';
import type { ChangeWindow } from '../../src/model/change-window.js';
import type { CheckPlugin, SuiteView } from '../../src/model/plugin.js';
import type { CheckOutcome } from '../../src/model/verdict.js';
import { suiteSchema } from '../../src/suite/schema.js';
import { judge } from '../helpers/judge.js';

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
  return judge(hooks, [], { suite: view, lab: null, director: { before: null, after: null }, ...(window ? { window } : {}) });
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

  it('disruption does not pass a budget on moves or breaks that nothing could have used', async () => {
    const change = { index: 0, action: { kind: 'reload' as const }, label: 'reload', plannedMs: 1000, effectiveMs: 1000, commands: [], error: null };
    const session = (openedMs: number) => ({ id: 'http#1', probe: 'http', protocol: 'http' as const, client: { address: '127.0.0.2', port: 1 }, realServer: 'web1', openedMs, closedMs: 3000, brokenMs: null, error: null, probes: [] });
    const obs = (seq: number, client: string, startMs: number): Observation => ({
      seq, round: 0, probe: 'http', protocol: 'http', client: { address: client, port: 40000 + seq }, target: { address: spec.vip, port: 8080 }, realServer: 'web1',
      startMs, endMs: startMs + 5, timings: { connectMs: 1, firstByteMs: 1, totalMs: 5 }, requests: 1, bytes: { sent: 1, received: 1 }, status: 200, error: null,
    });
    const judgeWith = async (observations: Observation[], sessions: ChangeWindow['sessions']) => {
      const hooks = (disruption as unknown as CheckPlugin).create(disruption.options.parse({ maxMoved: 0, maxBroken: 0 }), view);
      return judge(hooks, observations, { suite: view, lab: null, director: { before: null, after: null }, window: { ...EMPTY, changes: [change], sessions } });
    };
    // Only new clients after the change, and the only session opened after it: nothing could move or break.
    const empty = await judgeWith([obs(0, '127.0.0.2', 500), obs(1, '127.0.0.3', 1500)], [session(1200)]);
    expect(empty.pass).to.equal(false);
    expect(empty.seen).to.match(/^nothing to judge for maxMoved: no client served before the change came back after it; maxBroken: no session was held across the change/);
    const judged = await judgeWith([obs(0, '127.0.0.2', 500), obs(1, '127.0.0.2', 1500)], [session(500)]);
    expect(judged.pass, judged.seen).to.equal(true);
    expect(judged.seen).to.match(/\(1 client\(s\) came back across it, 1 session\(s\) held across it\)$/);
  });

  it('disruption needs at least one budget', () => {
    expect(disruption.options.safeParse({}).success).to.equal(false);
    expect(disruption.options.safeParse({ maxMoved: 3 }).success).to.equal(true);
  });
});
