import { expect } from 'chai';
import type { DirectorConfig } from '../../src/model/ipvs.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import { formatConnections } from '../../src/director/ipvsadm-views.js';
import { readTableState } from '../../src/lab/sim/table-reading.js';
import { A, B, FakeClock, packet, tcpService, VIP } from './helpers.js';

const PCC = tcpService({ port: 0, scheduler: 'rr', persistence: { timeout: 300, netmask: '255.255.255.255' }, realServers: [A, B] });

function tableWith(config: DirectorConfig, clock = new FakeClock(), expireQuiescentTemplate = false): IpvsTable {
  return IpvsTable.fromConfig(config, { clock, expireQuiescentTemplate });
}

function lastRecord(t: IpvsTable) {
  return t.history().at(-1)!;
}

describe('lab persistence templates', () => {
  describe('keys', () => {
    it('port-0 (PCC): <proto, caddr, 0, VIP, 0>, one template for every port', () => {
      const t = tableWith({ services: [PCC], fwmarkRules: [] });
      const first = t.schedule(packet('127.0.1.1', 18080, 40001));
      expect(lastRecord(t)).to.include({ templateKey: `TCP 127.0.1.1:0 ${VIP}:0`, scheduled: true });
      const second = t.schedule(packet('127.0.1.1', 18081, 40002));
      expect(lastRecord(t)).to.include({ templateKey: `TCP 127.0.1.1:0 ${VIP}:0`, scheduled: false });
      expect(second?.realServer).to.equal(first?.realServer);
      // The original port is kept, the dest's port 0 is not used.
      expect(second?.port).to.equal(18081);
    });

    it('per-port (PPC): <proto, caddr, 0, VIP, vport>, separate templates per service port', () => {
      const persistence = { timeout: 300, netmask: '255.255.255.255' };
      const t = tableWith({
        services: [
          tcpService({ port: 18080, scheduler: 'rr', persistence, realServers: [A, B] }),
          tcpService({ port: 18443, scheduler: 'rr', persistence, realServers: [A, B] }),
        ],
        fwmarkRules: [],
      });
      const web = t.schedule(packet('127.0.1.1', 18080));
      expect(lastRecord(t).templateKey).to.equal(`TCP 127.0.1.1:0 ${VIP}:18080`);
      expect(web?.port).to.equal(18080);
      t.schedule(packet('127.0.1.1', 18443));
      expect(lastRecord(t)).to.include({ templateKey: `TCP 127.0.1.1:0 ${VIP}:18443`, scheduled: true });
    });

    it('fwmark: <IP, caddr, 0, 0.0.0.<mark>, 0>, shared by every marked port', () => {
      const t = tableWith({
        services: [{ ...tcpService({ scheduler: 'rr', persistence: { timeout: 300, netmask: '255.255.255.255' }, realServers: [A, B] }), vip: undefined, port: undefined, fwmark: 1 }],
        fwmarkRules: [{ mark: 1, protocol: 'tcp', vip: VIP, ports: [{ from: 18080, to: 18081 }] }],
      });
      const first = t.schedule(packet('127.0.1.1', 18080));
      expect(lastRecord(t)).to.include({ service: 'FWM  1', templateKey: 'IP 127.0.1.1:0 0.0.0.1:0', scheduled: true });
      const second = t.schedule(packet('127.0.1.1', 18081));
      expect(lastRecord(t).scheduled).to.equal(false);
      expect(second?.realServer).to.equal(first?.realServer);
      expect(t.schedule(packet('127.0.1.1', 18082))).to.equal(null);
      expect(formatConnections(readTableState(t.state(), 0))).to.contain('IP  05:00  NONE        127.0.1.1:0        0.0.0.1:0          127.0.0.1');
    });

    it('port 21: <proto, caddr, 0, VIP, 0>, and passive data ports share the control template', () => {
      const t = tableWith({
        services: [tcpService({ port: 21, scheduler: 'rr', persistence: { timeout: 300, netmask: '255.255.255.255' }, realServers: [A, B] })],
        fwmarkRules: [],
      });
      const control = t.schedule(packet('127.0.1.1', 21));
      expect(lastRecord(t).templateKey).to.equal(`TCP 127.0.1.1:0 ${VIP}:0`);
      expect(control?.port).to.equal(21);
      const data = t.schedule(packet('127.0.1.1', 30000));
      expect(lastRecord(t)).to.include({ service: `TCP  ${VIP}:21`, scheduled: false });
      expect(data).to.include({ realServer: control?.realServer, port: 30000 });
      // Privileged ports other than 20 are not FTP data.
      expect(t.schedule(packet('127.0.1.1', 443))).to.equal(null);
    });

    it('a netmask groups clients: two clients in one /24 share a template', () => {
      const t = tableWith({
        services: [{ ...PCC, persistence: { timeout: 300, netmask: '255.255.255.0' } }],
        fwmarkRules: [],
      });
      const first = t.schedule(packet('127.0.1.1', 18080));
      expect(lastRecord(t).templateKey).to.equal(`TCP 127.0.1.0:0 ${VIP}:0`);
      const second = t.schedule(packet('127.0.1.200', 18080));
      expect(lastRecord(t)).to.include({ templateKey: `TCP 127.0.1.0:0 ${VIP}:0`, scheduled: false });
      expect(second?.realServer).to.equal(first?.realServer);
      t.schedule(packet('127.0.2.1', 18080));
      expect(lastRecord(t)).to.include({ templateKey: `TCP 127.0.2.0:0 ${VIP}:0`, scheduled: true });
    });

    it('the most specific service wins over port 0, and a non-persistent one schedules only its own port', () => {
      const t = tableWith({
        services: [PCC, tcpService({ port: 18080, scheduler: 'rr', realServers: [A] })],
        fwmarkRules: [],
      });
      t.schedule(packet('127.0.1.1', 18080));
      expect(lastRecord(t)).to.include({ service: `TCP  ${VIP}:18080`, templateKey: null, realServer: 'A' });
      t.schedule(packet('127.0.1.1', 18081));
      expect(lastRecord(t).service).to.equal(`TCP  ${VIP}:0`);
    });
  });

  describe('timer', () => {
    it('expires after the timeout once its connections are gone', () => {
      const clock = new FakeClock();
      const t = tableWith({ services: [PCC], fwmarkRules: [] }, clock);
      t.ended(t.schedule(packet('127.0.1.1', 18080, 40001))!.conn, 'fin');
      clock.advance(299);
      t.ended(t.schedule(packet('127.0.1.1', 18080, 40002))!.conn, 'fin');
      expect(lastRecord(t).scheduled, 'template still there at 299 s').to.equal(false);
      clock.advance(299);
      t.ended(t.schedule(packet('127.0.1.1', 18080, 40003))!.conn, 'fin');
      expect(lastRecord(t).scheduled, 'template re-armed at 299 s').to.equal(false);
      clock.advance(301);
      t.schedule(packet('127.0.1.1', 18080, 40004));
      expect(lastRecord(t).scheduled, 'template gone 301 s after its last use').to.equal(true);
    });

    it('is re-armed by each new connection, not by time passing', () => {
      const clock = new FakeClock();
      const t = tableWith({ services: [PCC], fwmarkRules: [] }, clock);
      for (let i = 0; i < 4; i++) {
        t.ended(t.schedule(packet('127.0.1.1', 18080, 40000 + i))!.conn, 'fin');
        expect(lastRecord(t).scheduled).to.equal(i === 0);
        clock.advance(250);
      }
      const listing = formatConnections(readTableState(t.state(), 0));
      expect(listing).to.contain(`TCP 00:50  NONE        127.0.1.1:0        ${VIP}:0`);
    });

    it('outlives its connections in 60 s steps, and keeps the 60 s timeout afterwards', () => {
      const clock = new FakeClock();
      const t = tableWith({ services: [PCC], fwmarkRules: [] }, clock);
      const open = t.schedule(packet('127.0.1.1', 18080));
      clock.advance(301);
      expect(formatConnections(readTableState(t.state(), 0))).to.contain(`TCP 00:59  NONE        127.0.1.1:0`);
      clock.advance(99); // t = 400: fired at 300 and 360, next at 420
      t.ended(open!.conn, 'fin'); // FIN_WAIT until 520
      expect(formatConnections(readTableState(t.state(), 0))).to.contain(`TCP 00:20  NONE        127.0.1.1:0`);
      clock.advance(139.5); // t = 539.5: fired at 420 and 480 with the connection still there
      expect(formatConnections(readTableState(t.state(), 0))).to.contain(`TCP 00:00  NONE        127.0.1.1:0`);
      const reuse = t.schedule(packet('127.0.1.1', 18081));
      expect(lastRecord(t).scheduled).to.equal(false);
      expect(formatConnections(readTableState(t.state(), 0))).to.contain(`TCP 01:00  NONE        127.0.1.1:0`);
      t.ended(reuse!.conn, 'reset'); // CLOSE for 10 s
      clock.advance(61);
      t.schedule(packet('127.0.1.1', 18082));
      expect(lastRecord(t).scheduled).to.equal(true);
    });

    it('purges closed connections after 120 s (FIN_WAIT for route, TIME_WAIT for masq)', () => {
      const clock = new FakeClock();
      const t = tableWith({ services: [{ ...PCC, forward: 'masq' }], fwmarkRules: [] }, clock);
      t.ended(t.schedule(packet('127.0.1.1', 18080, 40001))!.conn, 'fin');
      expect(formatConnections(readTableState(t.state(), 0))).to.contain('TCP 02:00  TIME_WAIT   127.0.1.1:40001');
      expect(t.state().services[0]!.dests.map((d) => d.inactConns)).to.deep.equal([1, 0]);
      clock.advance(120);
      expect(formatConnections(readTableState(t.state(), 0))).not.to.contain('TIME_WAIT');
      expect(t.state().services[0]!.dests.map((d) => d.inactConns)).to.deep.equal([0, 0]);
    });
  });

  describe('dest changes', () => {
    it('weight 0 is quiescent: no new clients, existing templates still honoured', () => {
      const t = tableWith({ services: [PCC], fwmarkRules: [] });
      const pinned = t.schedule(packet('127.0.1.1', 18080))!.realServer;
      t.editDest(PCC, pinned === 'A' ? A.address : B.address, { weight: 0 });
      expect(t.schedule(packet('127.0.1.1', 18081))?.realServer).to.equal(pinned);
      for (let i = 2; i < 6; i++) expect(t.schedule(packet(`127.0.1.${i}`, 18080))?.realServer).not.to.equal(pinned);
    });

    it('with expireQuiescentTemplate a template to a weight-0 dest dies at its next use', () => {
      const t = tableWith({ services: [PCC], fwmarkRules: [] }, new FakeClock(), true);
      const pinned = t.schedule(packet('127.0.1.1', 18080))!.realServer;
      t.editDest(PCC, pinned === 'A' ? A.address : B.address, { weight: 0 });
      expect(t.schedule(packet('127.0.1.1', 18081))?.realServer).not.to.equal(pinned);
      expect(lastRecord(t).scheduled).to.equal(true);
    });

    it('a deleted dest invalidates its templates, which stay listed with port 65535', () => {
      const t = tableWith({ services: [PCC], fwmarkRules: [] });
      const first = t.schedule(packet('127.0.1.1', 18080))!;
      t.deleteDest(PCC, first.address);
      const second = t.schedule(packet('127.0.1.1', 18081));
      expect(lastRecord(t).scheduled).to.equal(true);
      expect(second?.realServer).not.to.equal(first.realServer);
      expect(formatConnections(readTableState(t.state(), 0))).to.contain(`127.0.1.1:0        ${VIP}:65535  ${first.address}:65535`);
    });
  });
});

describe('lab connection entries', () => {
  it('drops the oldest closed entries early beyond maxClosedConnections, keeping counts exact', () => {
    const clock = new FakeClock();
    const t = IpvsTable.fromConfig({ services: [tcpService({ scheduler: 'rr', realServers: [A] })], fwmarkRules: [] }, { clock, maxClosedConnections: 3 });
    for (let i = 1; i <= 6; i++) t.ended(t.schedule(packet('127.0.1.1', 80, 40000 + i))!.conn, 'fin');
    t.schedule(packet('127.0.1.1', 80, 40007));
    const state = t.state();
    expect(state.services[0]!.dests[0]).to.include({ activeConns: 1, inactConns: 3 });
    expect(state.entries.map((e) => e.source)).to.deep.equal(['127.0.1.1:40004', '127.0.1.1:40005', '127.0.1.1:40006', '127.0.1.1:40007']);
  });
});
