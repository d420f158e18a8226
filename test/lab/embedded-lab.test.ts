import { expect } from 'chai';
import { Agent } from 'node:http';
import { createServer, type Server } from 'node:net';
import { isHarnessError } from '../../src/core/errors.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';
import { startEmbeddedLab, type EmbeddedLab } from '../../src/lab/embedded-lab.js';
import { A, B, C, tcpService, VIP } from './helpers.js';
import { httpGet, outcome } from './http-client.js';

/** This file's ports: 18100-18199. */
const PERSIST = { timeout: 300, netmask: '255.255.255.255' };

describe('embedded lab over loopback', function () {
  this.timeout(10_000);

  describe('port-0 persistent service (PCC)', () => {
    let lab: EmbeddedLab;
    before(async () => {
      lab = await startEmbeddedLab({
        config: { services: [tcpService({ port: 0, scheduler: 'rr', persistence: PERSIST, realServers: [A, B, C] })], fwmarkRules: [] },
        listenPorts: [18101, 18102],
        httpPorts: [18101, 18102],
      });
    });
    after(() => lab.close());

    it('answers from the scheduled real server, which sees the client address, on both listen ports', async () => {
      for (let i = 1; i <= 4; i++) {
        const client = `127.0.1.${i}`;
        const first = await httpGet(VIP, 18101, client);
        const second = await httpGet(VIP, 18102, client);
        expect(first).to.include({ status: 200, clientAddress: client });
        expect(first.body).to.equal(`${first.realServer}\n`);
        expect(second.realServer, `client ${client} kept its server across ports`).to.equal(first.realServer);
      }
      const history = (await lab.snapshot()).history;
      expect(history.map((r) => r.realServer)).to.deep.equal(['C', 'C', 'B', 'B', 'A', 'A', 'C', 'C']);
      expect(history.filter((r) => r.scheduled)).to.have.length(4);
    });

    it('schedules a keep-alive connection once for several requests', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const before = (await lab.snapshot()).history.length;
        const answers = [await httpGet(VIP, 18101, '127.0.2.1', agent), await httpGet(VIP, 18101, '127.0.2.1', agent)];
        expect(answers.map((a) => a.status)).to.deep.equal([200, 200]);
        expect((await lab.snapshot()).history.length).to.equal(before + 1);
      } finally {
        agent.destroy();
      }
    });

    it('shows its listing, connection entries and addresses', async () => {
      const snapshot = await lab.snapshot();
      expect(snapshot.kind).to.equal('embedded');
      expect(snapshot.listing).to.contain(`TCP  ${VIP}:0 rr persistent 300\n`);
      expect(snapshot.connections).to.match(/^TCP \d\d:\d\d  NONE        127\.0\.1\.1:0 {8}127\.0\.0\.100:0 {6}127\.0\.0\.13:0$/m);
      expect(snapshot.connections).to.match(/ FIN_WAIT +127\.0\.1\.1:\d+ +127\.0\.0\.100:18102 +127\.0\.0\.13:18102$/m);
      const text = lab.describe();
      for (const part of [`${VIP}:18101`, `${VIP}:18102`, 'A          127.0.0.11', 'IP Virtual Server version 1.2.1']) {
        expect(text).to.contain(part);
      }
    });
  });

  describe('per-port persistent services (PPC)', () => {
    let lab: EmbeddedLab;
    before(async () => {
      const services = [18111, 18112].map((port) => tcpService({ port, scheduler: 'rr', persistence: PERSIST, realServers: [A, B] }));
      lab = await startEmbeddedLab({ config: { services, fwmarkRules: [] }, listenPorts: [], httpPorts: [18111, 18112] });
    });
    after(() => lab.close());

    it('keeps one template per port, so a client may land on different servers per port', async () => {
      expect((await httpGet(VIP, 18112, '127.0.1.1')).realServer).to.equal('B');
      const web = await httpGet(VIP, 18111, '127.0.1.2');
      const other = await httpGet(VIP, 18112, '127.0.1.2');
      expect([web.realServer, other.realServer]).to.deep.equal(['B', 'A']);
      expect((await httpGet(VIP, 18111, '127.0.1.2')).realServer).to.equal('B');
      const keys = (await lab.snapshot()).history.map((r) => r.templateKey);
      expect(keys).to.include(`TCP 127.0.1.2:0 ${VIP}:18111`).and.to.include(`TCP 127.0.1.2:0 ${VIP}:18112`);
    });
  });

  describe('fwmark persistent service', () => {
    let lab: EmbeddedLab;
    before(async () => {
      const config: DirectorConfig = {
        services: [{ ...tcpService({ scheduler: 'wrr', persistence: PERSIST, realServers: [A, { ...B, weight: 3 }] }), vip: undefined, port: undefined, fwmark: 7 }],
        fwmarkRules: [{ mark: 7, protocol: 'tcp', vip: VIP, ports: [{ from: 18121, to: 18122 }] }],
      };
      lab = await startEmbeddedLab({ config, listenPorts: [18121, 18122, 18123], httpPorts: [18121, 18122] });
    });
    after(() => lab.close());

    it('listens only where the mark applies, and one template covers the marked ports', async () => {
      expect(lab.describe()).not.to.contain(`${VIP}:18123`);
      for (const client of ['127.0.1.1', '127.0.1.2', '127.0.1.3']) {
        const first = await httpGet(VIP, 18121, client);
        expect((await httpGet(VIP, 18122, client)).realServer).to.equal(first.realServer);
      }
      const snapshot = await lab.snapshot();
      expect(snapshot.history[0]).to.include({ service: 'FWM  7', templateKey: 'IP 127.0.1.1:0 0.0.0.7:0' });
      expect(snapshot.connections).to.match(/^IP  0[45]:\d\d  NONE        127\.0\.1\.1:0        0\.0\.0\.7:0          127\.0\.0\.12:0$/m);
    });
  });

  describe('faults', () => {
    let lab: EmbeddedLab;
    const svc = tcpService({ port: 18131, scheduler: 'rr', realServers: [A, B] });
    before(async () => {
      lab = await startEmbeddedLab({ config: { services: [svc], fwmarkRules: [] }, listenPorts: [], httpPorts: [18131], bodyBytes: 64 });
    });
    after(() => lab.close());

    it('pads the body to bodyBytes after the name line', async () => {
      const answer = await httpGet(VIP, 18131, '127.0.1.1');
      expect(answer.body).to.have.length(64);
      expect(answer.body.startsWith(`${answer.realServer}\n`)).to.equal(true);
    });

    it('resets connections scheduled to a stopped real server instead of hanging', async () => {
      await lab.stopRealServer('A');
      const results: string[] = [];
      for (let i = 0; i < 4; i++) results.push(await outcome(httpGet(VIP, 18131, `127.0.2.${i + 1}`)));
      expect([...results].sort()).to.deep.equal(['B', 'B', 'ECONNRESET', 'ECONNRESET']);
      expect((await lab.snapshot()).connections).to.match(/ CLOSE +127\.0\.2\.\d:\d+ +127\.0\.0\.100:18131 +127\.0\.0\.11:18131$/m);
    });

    it('sends nobody to a server made quiescent with weight 0', async () => {
      lab.table.editDest(svc, A.address, { weight: 0 });
      for (let i = 0; i < 3; i++) expect(await outcome(httpGet(VIP, 18131, '127.0.3.1'))).to.equal('B');
      expect((await lab.snapshot()).listing).to.contain('  -> 127.0.0.11:18131             Route   0      ');
    });

    it('resets the client when no server is available', async () => {
      lab.table.editDest(svc, B.address, { weight: 0 });
      expect(await outcome(httpGet(VIP, 18131, '127.0.3.2'))).to.equal('ECONNRESET');
      expect((await lab.snapshot()).history.at(-1)).to.include({ realServer: null, scheduled: true });
    });
  });

  describe('start', () => {
    let squatter: Server;
    before(async () => {
      squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(18141, VIP, resolve));
    });
    after(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

    it('fails with LAB_START_FAILED when an address is taken, and releases what it had bound', async () => {
      const options = {
        config: { services: [tcpService({ port: 18141, scheduler: 'rr' as const, realServers: [A] })], fwmarkRules: [] },
        listenPorts: [],
        httpPorts: [18142],
      };
      const failure = await startEmbeddedLab(options).then(
        () => null,
        (err: unknown) => err,
      );
      expect(isHarnessError(failure) && failure.code).to.equal('LAB_START_FAILED');
      expect((failure as Error).message).to.contain(`${VIP}:18141`);
      // The real server on 18142 was released: it can be bound again.
      const again = await startEmbeddedLab({ ...options, config: { ...options.config, services: [] } });
      await again.close();
    });
  });

  it('names an address that is not on this host instead of blaming another process (EADDRNOTAVAIL)', async () => {
    // 203.0.113.77 (TEST-NET-3) is only bound, never sent to: the bind itself fails.
    const stranger = { name: 'far', address: '203.0.113.77', weight: 1 };
    const failure = await startEmbeddedLab({
      config: { services: [tcpService({ port: 18150, scheduler: 'rr', realServers: [stranger] })], fwmarkRules: [] },
      listenPorts: [],
      httpPorts: [18151],
    }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isHarnessError(failure) && failure.code).to.equal('LAB_START_FAILED');
    expect((failure as Error).message).to.match(/real server far on 203\.0\.113\.77:18151: 203\.0\.113\.77 is not an address of this host$/);
    expect(isHarnessError(failure) && failure.hint).to.equal('Use 127.x.y.z addresses (all of 127/8 is this host\'s on Linux), or add it: ip addr add 203.0.113.77/32 dev lo');
  });
});
