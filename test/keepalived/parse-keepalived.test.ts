/**
 * keepalived.conf -> keepalived's view: the shapes keepalived's own samples use, keepalived's
 * defaults, and its warnings in its words. Where Debian's keepalived is installed each fixture is
 * also run through `keepalived -t`, so "accepts", "warns" and "rejects" are keepalived's verdicts,
 * not ours.
 */
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { parseKeepalivedFile } from '../../src/director/keepalived/parse-keepalived.js';
import { keepalivedAvailable, keepalivedTest } from './keepalived-binary.js';

const FIX = 'test/fixtures/keepalived';
/** The PCC experiment's conf, which suites/keepalived-pcc.yaml runs. */
const PCC = 'suites/keepalived/pcc-lb.conf';
const SAMPLES = '/usr/share/doc/keepalived/samples';

/** Our warning without the `virtual_server NAME: ` we put before keepalived's words. */
function words(message: string): string {
  return message.replace(/^virtual_server [^:]+: /, '').replace(/real server [\d.]+:\d+ /, '');
}

describe('keepalived.conf parser', () => {
  it('reads a PCC service with included real servers, their checkers and keepalived\'s inheritance', async () => {
    const config = await parseKeepalivedFile(PCC);
    expect(config.files.map((f) => f.split('/').slice(-2).join('/'))).to.deep.equal(['keepalived/pcc-lb.conf', 'servers/web1.conf', 'servers/web2.conf']);
    expect(config.warnings).to.deep.equal([]);
    const [vs] = config.virtualServers;
    expect(vs).to.deep.include({ name: '127.0.0.100 0', protocol: 'TCP', scheduler: 'wrr', method: 'DR', persistenceTimeout: 1000, delayLoop: 2, quorum: 1 });
    expect(vs!.endpoints).to.deep.equal([{ address: '127.0.0.100', port: 0 }]);
    const [web1, web2] = vs!.realServers;
    expect(web1).to.deep.include({ address: '127.0.1.1', port: 0, weight: 100, method: 'DR', inhibitOnFailure: true });
    expect(web1!.at).to.deep.include({ line: 1, column: 1 });
    expect(web1!.at.file).to.match(/servers\/web1\.conf$/);
    // delay_loop comes from the virtual server, the rest from the checker itself.
    expect(web1!.checkers[0]).to.deep.include({ type: 'HTTP_GET', connectPort: 8080, connectTimeout: 3, retry: 2, delayBeforeRetry: 1, delayLoop: 2 });
    expect(web1!.checkers[0]!.urls).to.deep.equal([{ path: '/', statusCodes: ['200'] }]);
    // connect_timeout defaults to 5 s only where nothing sets it; this one sets 3.
    expect(web2).to.deep.include({ weight: 200, inhibitOnFailure: false });
    expect(web2!.checkers[0]).to.deep.include({ type: 'TCP_CHECK', connectPort: 8080, connectTimeout: 3, delayLoop: 2 });
    if (keepalivedAvailable()) expect(keepalivedTest(PCC)).to.deep.equal({ status: 0, lines: [] });
  });

  it('applies keepalived\'s defaults and says what keepalived says about them, line for line', async () => {
    const config = await parseKeepalivedFile(`${FIX}/defaults.conf`);
    const [noProtocol, ops, mark] = config.virtualServers;
    // No protocol is UDP, no scheduler wlc, no lvs_method NAT, port 0 forced persistent (360 s), weight 1.
    expect(noProtocol).to.deep.include({ protocol: 'UDP', scheduler: 'wlc', method: 'NAT', persistenceTimeout: 360, flags: [] });
    expect(noProtocol!.realServers.map((rs) => [rs.address, rs.weight])).to.deep.equal([['127.0.1.1', 1]]);
    // `persistence_timeout` without a value is 360; ops is reset on TCP.
    expect(ops).to.deep.include({ persistenceTimeout: 360, flags: [] });
    // sh-port after lvs_sched sh is kept; granularity sets the mask; the fwmark real server loses its port.
    expect(mark).to.deep.include({ scheduler: 'sh', flags: ['sh-port', 'sh-fallback'], persistenceGranularity: '255.255.255.0', persistenceTimeout: 360 });
    expect(mark!.realServers[0]!.port).to.equal(0);
    expect(config.warnings.map((w) => [w.at.line, w.message])).to.deep.equal([
      [5, 'virtual_server 127.0.0.100 0: sh-port only applies to sh scheduler - ignoring'],
      [4, 'virtual_server 127.0.0.100 0: no protocol set - defaulting to UDP'],
      [4, "virtual_server 127.0.0.100 0: no scheduler set, setting default 'wlc'"],
      [4, 'virtual_server 127.0.0.100 0: no forwarding method set, setting default NAT'],
      [4, 'virtual_server 127.0.0.100 0: zero port only valid for persistent services - setting'],
      [8, 'virtual_server 127.0.0.100 0: real server 127.0.1.1:0 is duplicated - removing second rs'],
      [13, 'virtual_server 127.0.0.100 80: one packet scheduling requires UDP - resetting'],
      [24, 'virtual_server fwmark 7: protocol specified for fwmark - protocol will be ignored'],
      [31, 'virtual_server fwmark 7: real server 127.0.1.3:8080 has port specified - clearing'],
    ]);
    if (!keepalivedAvailable()) return;
    const real = keepalivedTest(`${FIX}/defaults.conf`);
    expect(real.status).not.to.equal(0);
    expect(real.lines).to.have.length(config.warnings.length);
    for (const w of config.warnings) expect(real.lines.some((l) => l.includes(words(w.message))), `${w.message}\n${real.lines.join('\n')}`).to.equal(true);
  });

  it('expands a virtual_server_group (address, last-octet range, fwmark) and keeps quorum, sorry server, alpha/omega, virtualhost', async () => {
    const config = await parseKeepalivedFile(`${FIX}/group.conf`);
    const [vs] = config.virtualServers;
    expect(vs!.name).to.equal('group web');
    expect(vs!.endpoints).to.deep.equal([
      { address: '127.0.0.100', port: 8080 },
      { address: '127.0.0.101', port: 8080 },
      { address: '127.0.0.102', port: 8080 },
      { address: '127.0.0.103', port: 8080 },
      { fwmark: 3 },
    ]);
    expect(vs).to.deep.include({ quorum: 2, hysteresis: 1, alpha: true, omega: true, haSuspend: false, virtualhost: 'www.example.test', delayLoop: 6 });
    expect(vs!.sorryServer).to.deep.equal({ address: '127.0.1.9', port: 0 });
    expect(vs!.realServers[0]!.checkers[0]!.urls[0]).to.deep.equal({ path: '/health', statusCodes: ['200-299', '301'] });
    expect(vs!.realServers[1]!.weight).to.equal(0);
    if (!keepalivedAvailable()) return;
    const real = keepalivedTest(`${FIX}/group.conf`);
    expect(real.lines).to.have.length(config.warnings.length);
    for (const w of config.warnings) expect(real.lines.some((l) => l.includes(words(w.message))), w.message).to.equal(true);
  });

  it('reads every IPv4 sample Debian ships with keepalived (the @ID one with its id), and refuses the IPv6 one by name', async function () {
    if (!existsSync(SAMPLES)) this.skip();
    const files = readdirSync(SAMPLES).filter((f) => f.startsWith('keepalived.conf.'));
    let services = 0;
    for (const f of files) {
      if (f === 'keepalived.conf.IPv6') {
        const err = await parseKeepalivedFile(`${SAMPLES}/${f}`).catch((e: Error) => e);
        expect((err as Error).message).to.match(/keepalived\.conf\.IPv6:\d+:\d+: .*IPv4/);
        continue;
      }
      if (f === 'keepalived.conf.conditional_conf') {
        // Its @high/@low lines are read per director: without the config id the harness cannot choose.
        const err = await parseKeepalivedFile(`${SAMPLES}/${f}`).catch((e: Error) => e);
        expect((err as Error).message).to.match(/conditional_conf:3:1: @high: .*--keepalived-id/);
        services += (await parseKeepalivedFile(`${SAMPLES}/${f}`, { configId: 'high' })).virtualServers.length;
        continue;
      }
      services += (await parseKeepalivedFile(`${SAMPLES}/${f}`)).virtualServers.length;
    }
    expect(services).to.be.greaterThan(10);
  });
});
