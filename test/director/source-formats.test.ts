/**
 * What the kernel lab's fixtures cannot show, from ipvsadm 1.31's and the kernel's print functions:
 * print_largenum's K/M/G/T cuts (counters above 1e8), a one-service listing (`-L -t`, no version line),
 * a -Lcn entry with minutes past 99, and the -R spellings an operator may write.
 */
import { expect } from 'chai';
import { detectFormat, parseDirectorText } from '../../src/director/parse/index.js';
import { harnessErrorOf } from '../helpers/harness-error.js';

describe('director parsers: the source formats beyond the fixtures', () => {
  it('reads print_largenum\'s cut numbers (%8lluK above 1e8, M above 1e9, G above 1e11, T above 1e14)', () => {
    const text = [
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.1:80                  99999999   123456K     1234M      999G        5T',
    ].join('\n');
    expect(detectFormat(text)).to.equal('ipvsadm-list');
    expect(parseDirectorText(text, 'x').services![0]!.counters).to.deep.equal({
      connections: 99_999_999, inPackets: 123_456_000, outPackets: 1_234_000_000, inBytes: 999e9, outBytes: 5e12,
    });
  });

  it('reads a one-service listing (ipvsadm -L -n -t VIP:PORT prints no version line)', () => {
    const text = ['Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn', 'TCP  10.0.0.1:80 wlc', '  -> 10.0.0.11:80                 Local   1      0          0         '].join('\n');
    const part = parseDirectorText(text, 'one');
    expect(part.config!.services[0]!.realServers[0]).to.deep.include({ address: '10.0.0.11', forward: 'route', local: true });
  });

  it('reads -Lcn expiries past 99 minutes, and refuses seconds past 59', () => {
    const head = 'IPVS connection entries\npro expire state       source             virtual            destination\n';
    const { connections } = parseDirectorText(`${head}TCP 180:00 NONE        10.0.0.5:0         10.0.0.100:0       10.0.1.1:0\n`, 'c');
    expect(connections![0]).to.deep.include({ expiresSeconds: 10_800, template: true });
    expect(harnessErrorOf(() => parseDirectorText(`${head}TCP 01:60  ESTABLISHED 10.0.0.5:1 10.0.0.100:80 10.0.1.1:80\n`, 'c'))).to.match(/^c:3: .*seconds from 0 to 59, not 60$/);
  });

  it('takes the -R spellings: long options, -p without a value, -x/-y', () => {
    const { config } = parseDirectorText(
      ['--add-service --udp-service 10.0.0.1:53 --scheduler sed --persistent --ops', '--add-server --udp-service 10.0.0.1:53 --real-server 10.0.1.1:53 --masquerading --weight 3 --u-threshold 100 --l-threshold 10'].join('\n'),
      'r',
    );
    expect(config!.services[0]).to.deep.include({ protocol: 'udp', scheduler: 'sed', persistence: { timeout: 360, netmask: '255.255.255.255' }, onePacket: true, forward: 'masq' });
    expect(config!.services[0]!.realServers[0]).to.deep.include({ weight: 3, upperThreshold: 100, lowerThreshold: 10 });
  });

  it('refuses what ipvsadm refuses, by line: -o on tcp, port 0 without -p, a v6 prefix over 128, --tun-port without gue', () => {
    expect(harnessErrorOf(() => parseDirectorText('-A -t 10.0.0.1:80 -s rr -o', 'd'))).to.match(/^d:1: .*-o only for udp or fwmark/);
    expect(harnessErrorOf(() => parseDirectorText('-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:0 -s rr', 'd'))).to.match(/^d:2: .*Zero port specified for non-persistent service/);
    expect(harnessErrorOf(() => parseDirectorText('-A -t [fd00::6]:80 -s rr -p 60 -M 129', 'd'))).to.match(/^d:1: .*an IPv6 prefix length from 1 to 128, not 129$/);
    expect(harnessErrorOf(() => parseDirectorText('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -i -w 1 --tun-type gre --tun-port 1', 'd'))).to.match(/^d:2: .*--tun-port only with --tun-type gue$/);
  });
});
