import { expect } from 'chai';
import { isHarnessError } from '../../src/core/errors.js';
import { parseFwmarkRules } from '../../src/lab/fwmark-rules.js';
import { parseIpvsadmSave } from '../../src/lab/ipvsadm-save.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isHarnessError(e)) return `${e.code} ${e.exitCode} ${e.message}`;
    throw e;
  }
  throw new Error('no error');
}

describe('ipvsadm -S -n dumps (--director-config)', () => {
  it('reads services and real servers in line order, naming servers by their address', () => {
    const text = [
      '-A -t 127.0.0.100:0 -s wrr -p 1000',
      '-a -t 127.0.0.100:0 -r 127.0.1.1:0 -g -w 100',
      '-a -t 127.0.0.100:0 -r 127.0.1.2:0 -g -w 200',
      '',
      '# a comment',
      '-A -t 127.0.0.110:8080 -s wlc -p 360 -M 255.255.255.0',
      '-a -t 127.0.0.110:8080 -r 127.0.1.11:8080 -m -w 1',
      '-A -f 1 -s rr',
      '-a -f 1 -r 127.0.1.1:0 -g -w 3',
      '-A -u 127.0.0.1:53 -s rr',
    ].join('\n');
    const config = parseIpvsadmSave(text, 'd.txt');
    expect(config.services).to.deep.equal([
      {
        protocol: 'tcp', vip: '127.0.0.100', port: 0, scheduler: 'wrr', forward: 'route',
        persistence: { timeout: 1000, netmask: '255.255.255.255' },
        realServers: [{ name: '127.0.1.1', address: '127.0.1.1', weight: 100 }, { name: '127.0.1.2', address: '127.0.1.2', weight: 200 }],
      },
      {
        protocol: 'tcp', vip: '127.0.0.110', port: 8080, scheduler: 'wlc', forward: 'masq',
        persistence: { timeout: 360, netmask: '255.255.255.0' },
        realServers: [{ name: '127.0.1.11', address: '127.0.1.11', weight: 1 }],
      },
      { protocol: 'tcp', fwmark: 1, scheduler: 'rr', forward: 'route', persistence: null, realServers: [{ name: '127.0.1.1', address: '127.0.1.1', weight: 3 }] },
      { protocol: 'udp', vip: '127.0.0.1', port: 53, scheduler: 'rr', forward: 'route', persistence: null, realServers: [] },
    ]);
  });

  it('takes long options and -p without a value (IPVS_SVC_PERSISTENT_TIMEOUT, 6*60 in libipvs.h)', () => {
    const config = parseIpvsadmSave('--add-service --tcp-service 127.0.0.1:80 --scheduler rr --persistent\n', 'd');
    expect(config.services[0]!.persistence).to.deep.equal({ timeout: 360, netmask: '255.255.255.255' });
  });

  it('refuses a netmask or an address with an octet over 255 by file and line (it once crashed a run later)', () => {
    expect(errorOf(() => parseIpvsadmSave('-A -t 127.0.0.1:80 -s rr -p 60 -M 255.255.255.999', 'bad.dump'))).to.equal(
      'BAD_DIRECTOR_CONFIG 11 bad.dump:1: -A -t 127.0.0.1:80 -s rr -p 60 -M 255.255.255.999: expected an IPv4 address with four octets from 0 to 255, not 255.255.255.999',
    );
    expect(errorOf(() => parseIpvsadmSave('-A -t 127.0.0.1:80 -s rr\n-a -t 127.0.0.1:80 -r 127.0.1.256:80', 'd'))).to.match(/^BAD_DIRECTOR_CONFIG 11 d:2: .*not 127\.0\.1\.256$/);
    expect(errorOf(() => parseIpvsadmSave('-A -t 300.0.0.1:80 -s rr', 'd'))).to.match(/^BAD_DIRECTOR_CONFIG 11 d:1: .*not 300\.0\.0\.1$/);
  });

  it('names the file and line of what it cannot read or the labs cannot reproduce', () => {
    expect(errorOf(() => parseIpvsadmSave('-A -t 127.0.0.1:80 -s rr\n-A -t 127.0.0.1:81 -s maglev\n', 'dump.txt'))).to.match(
      /^BAD_DIRECTOR_CONFIG 11 dump.txt:2: -A -t 127.0.0.1:81 -s maglev: expected a scheduler: rr, wrr, .*, twos$/,
    );
    expect(errorOf(() => parseIpvsadmSave('-A -u 127.0.0.1:80 -s rr -p 30 --pe sip', 'd'))).to.match(/d:1: .*no --pe persistence engine \(the labs do not reproduce it\)/);
    expect(errorOf(() => parseIpvsadmSave('-A -u 127.0.0.1:80 -s sh -b sh-port', 'd'))).to.match(/d:1: .*no -b scheduler flags/);
    expect(errorOf(() => parseIpvsadmSave('-A -t 127.0.0.1:80 -s rr\n-a -t 127.0.0.1:80 -r 127.0.1.1:80 -i --tun-type gue --tun-port 6080', 'd'))).to.match(/d:2: .*ipip tunnel/);
    expect(errorOf(() => parseIpvsadmSave('-a -t 127.0.0.1:80 -r 127.0.1.1:80 -g -w 1', 'd'))).to.match(/d:1: .*added on an earlier -A line/);
    expect(errorOf(() => parseIpvsadmSave('-A -t [::1]:80 -s rr', 'd'))).to.match(/d:1: .*an IPv4 service/);
    expect(errorOf(() => parseIpvsadmSave('-A -t 127.0.0.1:80 -s rr\n-a -t 127.0.0.1:80 -r 127.0.1.1:81', 'd'))).to.match(/d:2: .*port mapping/);
    expect(errorOf(() => parseIpvsadmSave('-E -t 127.0.0.1:80 -s rr', 'd'))).to.match(/starting with -A or -a/);
  });
});

describe('fwmark rules beside a dump', () => {
  it('reads mark, protocol, VIP and ports with ranges', () => {
    expect(parseFwmarkRules('# ftp\n1 tcp 127.0.0.120 21,10001-15000 # control and passive\n', 'f')).to.deep.equal([
      { mark: 1, protocol: 'tcp', vip: '127.0.0.120', ports: [{ from: 21, to: 21 }, { from: 10001, to: 15000 }] },
    ]);
  });

  it('names the line it cannot read', () => {
    expect(errorOf(() => parseFwmarkRules('\n1 sctp 127.0.0.1 21\n', 'marks'))).to.match(/^BAD_DIRECTOR_CONFIG 11 marks:2: 1 sctp/);
    expect(errorOf(() => parseFwmarkRules('1 tcp 127.0.0.1 9-3\n', 'marks'))).to.match(/low-high, not 9-3/);
  });
});
