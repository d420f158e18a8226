import { expect } from 'chai';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { offsetAddresses } from '../../src/suite/address-offset.js';
import { loadSuite } from '../../src/suite/load-suite.js';

describe('--address-offset', () => {
  it("moves a change's added server and an applied dump's VIP and servers with the suite's own", async () => {
    const add = offsetAddresses(await loadSuite('test/fixtures/change-actions/add.yaml', resolveCheck), 2);
    expect(add.spec.vip).to.equal('127.43.0.6');
    expect(add.spec.changes[0]!.action).to.deep.include({ kind: 'add', server: 'web2', address: '127.43.6.2' });
    const apply = offsetAddresses(await loadSuite('test/fixtures/change-actions/apply.yaml', resolveCheck), 2);
    const dump = apply.applyConfigs!['apply.ipvsadm']!;
    expect(dump.services.map((s) => [s.vip, ...s.realServers.map((rs) => rs.address)])).to.deep.equal([['127.43.0.7', '127.43.7.1', '127.43.7.3']]);
  });
});
