import { expect } from 'chai';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import { shBucket } from '../../src/lab/sim/schedulers/sh.js';
import { A, B, C, FakeClock, packet, pickSequence, tcpService, withWeight } from './helpers.js';

function table(): IpvsTable {
  return new IpvsTable({ clock: new FakeClock() });
}

describe('lab schedulers (kernel sequences, one connection at a time)', () => {
  describe('wrr', () => {
    it('created empty, then A=100 and B=200 added: B,A,B,B,A,...', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'wrr' });
      t.addService(svc);
      t.addDest(svc, withWeight(A, 100));
      t.addDest(svc, withWeight(B, 200));
      expect(pickSequence(t, 12).join(',')).to.equal('B,A,B,B,A,B,B,A,B,B,A,B');
    });

    it('rr switched to wrr with the dests present starts at cw = mw: B,B,A,...', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'rr', realServers: [withWeight(A, 100), withWeight(B, 200)] });
      t.addService(svc);
      t.editService(svc, { scheduler: 'wrr' });
      expect(pickSequence(t, 12).join(',')).to.equal('B,B,A,B,B,A,B,B,A,B,B,A');
    });

    it('A=1, B=2, C=3 added in that order: C,B,A,C,C,B,C,B,A,C,C,B', () => {
      const t = table();
      t.addService(tcpService({ realServers: [withWeight(A, 1), withWeight(B, 2), withWeight(C, 3)] }));
      expect(pickSequence(t, 12).join(',')).to.equal('C,B,A,C,C,B,C,B,A,C,C,B');
    });

    it('an edit resets the cursor, even with the weight unchanged', () => {
      const t = table();
      const svc = tcpService({ realServers: [withWeight(A, 1), withWeight(B, 2), withWeight(C, 3)] });
      t.addService(svc);
      expect(pickSequence(t, 4).join(',')).to.equal('C,B,A,C');
      t.editDest(svc, A.address, { weight: 1 });
      expect(pickSequence(t, 6).join(',')).to.equal('C,C,B,C,B,A');
    });

    it('equal weights go newest first, like rr', () => {
      const t = table();
      t.addService(tcpService({ realServers: [A, B, C] }));
      expect(pickSequence(t, 6).join(',')).to.equal('C,B,A,C,B,A');
    });

    it('never picks a weight-0 dest and has nothing to give when all are 0', () => {
      const t = table();
      const svc = tcpService({ realServers: [withWeight(A, 0), withWeight(B, 2)] });
      t.addService(svc);
      expect(pickSequence(t, 4)).to.deep.equal(['B', 'B', 'B', 'B']);
      t.editDest(svc, B.address, { weight: 0 });
      expect(pickSequence(t, 2)).to.deep.equal([null, null]);
    });
  });

  describe('rr', () => {
    it('walks the list newest first and reaches a new dest only after wrapping', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'rr', realServers: [A, B] });
      t.addService(svc);
      expect(pickSequence(t, 3).join(',')).to.equal('B,A,B');
      t.addDest(svc, C);
      expect(pickSequence(t, 4).join(',')).to.equal('A,C,B,A');
    });

    it('steps the cursor back when the current dest is deleted', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'rr', realServers: [A, B, C] });
      t.addService(svc);
      expect(pickSequence(t, 2).join(',')).to.equal('C,B');
      t.deleteDest(svc, B.address);
      expect(pickSequence(t, 3).join(',')).to.equal('A,C,A');
    });

    it('skips a quiescent (weight 0) dest', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'rr', realServers: [A, B, C] });
      t.addService(svc);
      t.editDest(svc, B.address, { weight: 0 });
      expect(pickSequence(t, 4).join(',')).to.equal('C,A,C,A');
    });
  });

  describe('lc and wlc', () => {
    /** Opens connections without closing them, so they stay active. */
    function openFrom(t: IpvsTable, count: number): string[] {
      return Array.from({ length: count }, (_, i) => t.schedule(packet(`127.0.2.${i + 1}`))?.realServer ?? '-');
    }

    it('lc balances open connections; ties go to the first in list order (newest)', () => {
      const t = table();
      t.addService(tcpService({ scheduler: 'lc', realServers: [A, B, C] }));
      expect(openFrom(t, 6).join(',')).to.equal('C,B,A,C,B,A');
    });

    it('lc counts an active connection as 256 inactive ones', () => {
      const clock = new FakeClock();
      const t = new IpvsTable({ clock });
      t.addService(tcpService({ scheduler: 'lc', realServers: [A, B] }));
      const first = t.schedule(packet('127.0.2.1'));
      expect(first?.realServer).to.equal('B');
      // A closed connection stays inactive for 120 s: overhead 1, still less than B's 256.
      const second = t.schedule(packet('127.0.2.2'));
      expect(second?.realServer).to.equal('A');
      t.ended(second!.conn, 'fin');
      expect(t.schedule(packet('127.0.2.3'))?.realServer).to.equal('A');
      t.ended(first!.conn, 'fin');
      clock.advance(121);
      expect(t.schedule(packet('127.0.2.4'))?.realServer).to.equal('B');
    });

    it('wlc weighs overhead by weight, ties to the first in list order, weight 0 never wins', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'wlc', realServers: [withWeight(A, 1), withWeight(B, 2)] });
      t.addService(svc);
      // B:0/2 vs A:0/1 tie -> B (first); then B 256/2=128 vs A 0 -> A; then 128 vs 256 -> B; ...
      expect(openFrom(t, 6).join(',')).to.equal('B,A,B,B,A,B');
      t.editDest(svc, A.address, { weight: 0 });
      expect(openFrom(t, 3).join(',')).to.equal('B,B,B');
    });
  });

  describe('sh', () => {
    it('maps a client address to a fixed bucket with hash_32', () => {
      expect(shBucket('0.0.0.1')).to.equal(0x61c88647 >>> 24);
      expect(shBucket('127.0.0.1')).to.equal(Math.imul(0x7f000001, 0x61c88647) >>> 24);
    });

    it('is deterministic per client and follows the bucket fill (weight consecutive buckets from the head)', () => {
      const t = table();
      t.addService(tcpService({ scheduler: 'sh', realServers: [withWeight(A, 1), withWeight(B, 1)] }));
      // List B, A with weight 1 each: even buckets B, odd buckets A.
      for (let i = 1; i <= 20; i++) {
        const client = `127.0.3.${i}`;
        const expected = shBucket(client) % 2 === 0 ? 'B' : 'A';
        expect(t.schedule(packet(client, 80, 1000 + i))?.realServer).to.equal(expected);
        expect(t.schedule(packet(client, 80, 2000 + i))?.realServer).to.equal(expected);
      }
    });

    it('gives no dest when the client bucket belongs to a weight-0 dest (no sh-fallback)', () => {
      const t = table();
      const svc = tcpService({ scheduler: 'sh', realServers: [A, B] });
      t.addService(svc);
      t.editDest(svc, A.address, { weight: 0 });
      const odd = Array.from({ length: 50 }, (_, i) => `127.0.4.${i + 1}`).find((c) => shBucket(c) % 2 === 1)!;
      expect(t.schedule(packet(odd))).to.equal(null);
    });
  });
});
