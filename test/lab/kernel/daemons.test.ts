import { expect } from 'chai';
import { ftpDaemon } from '../../../src/lab/kernel/daemons/ftp.js';
import { telnetDaemon } from '../../../src/lab/kernel/daemons/telnet.js';
import type { FtpProbeSpec } from '../../../src/suite/probes/ftp.js';
import type { TelnetProbeSpec } from '../../../src/suite/probes/telnet.js';

const telnet = { name: 'telnet', type: 'telnet', port: 2323, login: { username: 'lab', password: "it's" } } as TelnetProbeSpec;
const ftp = (mode: 'passive' | 'active'): FtpProbeSpec =>
  ({ name: mode, type: 'ftp', port: 2121, mode, ...(mode === 'passive' ? { passivePorts: '10001-10100' } : {}), login: { username: 'tester', password: 'pw' } }) as FtpProbeSpec;

describe('kernel lab: real-server daemons', () => {
  it('runs one busybox telnetd per port, named by its hostname, banner and prompt, taking the probe\'s login', () => {
    const [plan, ...more] = telnetDaemon({ name: 'web1', vip: '100.64.0.100', probes: [telnet, { ...telnet, name: 'again' }], dir: '/d' });
    expect(more).to.have.length(0);
    expect(plan!.start.join(' ')).to.include('unshare --uts sh -c hostname "$0" && exec "$@" web1 busybox telnetd -F -p 2323 -l /d/2323/login.sh -f /d/2323/issue');
    const login = plan!.files['/d/2323/login.sh']!;
    expect(login.mode).to.equal(0o755);
    expect(login.text).to.include(`if [ "$user" = lab ] && [ "$pass" = 'it'\\''s' ]; then`).and.include("echo 'Login incorrect'");
    expect(plan!.files['/d/2323/shrc']!.text).to.equal("PS1='web1$ '\n");
    expect(plan!.files['/d/2323/issue']!.text).to.match(/^web1 telnet/);
  });

  it('runs one vsftpd per control port on the VIP, with the passive range, pasv_address and a local account', () => {
    const [plan, ...more] = ftpDaemon({ name: 'ftp1', vip: '100.64.0.130', probes: [ftp('passive'), ftp('active')], dir: '/d' });
    expect(more).to.have.length(0);
    const conf = plan!.files['/d/2121/vsftpd.conf']!.text.split('\n');
    expect(conf).to.include.members([
      'listen_address=100.64.0.130', 'listen_port=2121', 'seccomp_sandbox=NO', 'write_enable=YES', 'pasv_min_port=10001',
      'pasv_max_port=10100', 'pasv_address=100.64.0.130', 'connect_from_port_20=YES', 'ftpd_banner=FTP server ftp1 ready',
    ]);
    expect(plan!.files['/d/2121/root/whoami.txt']!.text).to.equal('ftp1\n');
    expect(plan!.files['/d/2121/password-0']).to.deep.equal({ text: 'pw', mode: 0o600 });
    const script = plan!.files['/d/2121/start.sh']!.text;
    expect(script).to.include("printf '%s:x:60000:60000::%s:/bin/sh\\n' tester /d/2121/root >> passwd").and.include('mount --bind shadow /etc/shadow');
  });
});
