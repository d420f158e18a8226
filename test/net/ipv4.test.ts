import { expect } from 'chai';
import { formatIpv4, maskAddress, parseIpv4 } from '../../src/net/ipv4.js';

describe('IPv4 parsing', () => {
  it('reads dotted quads of 1-3 digits per octet up to 255, blanks around them ignored', () => {
    expect(parseIpv4('127.0.0.1')).to.equal(0x7f000001);
    expect(parseIpv4('255.255.255.255')).to.equal(0xffffffff);
    expect(parseIpv4('0.0.0.0')).to.equal(0);
    expect(parseIpv4('010.001.000.9')).to.equal(0x0a010009);
    expect(parseIpv4(' 10.0.0.1\n')).to.equal(0x0a000001);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '1.2.3.256', '256.1.1.1', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.0004', '1.2.3.4a', '1.2 .3.4', '-1.2.3.4', '١.2.3.4', '1.2.3.4/32']) {
      expect(parseIpv4(bad), bad).to.equal(null);
    }
  });

  it('formats and masks back to the same text', () => {
    expect(formatIpv4(0xc0a80a01)).to.equal('192.168.10.1');
    expect(formatIpv4(parseIpv4('10.20.30.40')!)).to.equal('10.20.30.40');
    expect(maskAddress('127.61.3.200', '255.255.255.0')).to.equal('127.61.3.0');
    expect(maskAddress('127.61.3.200', '255.255.255.255')).to.equal('127.61.3.200');
    // A /32 group is the address itself only when that is already canonical.
    expect(maskAddress('127.061.3.200', '255.255.255.255')).to.equal('127.61.3.200');
    expect(maskAddress(' 127.61.3.200', '255.255.255.255')).to.equal('127.61.3.200');
    expect(maskAddress('127.0.0.0', '255.255.255.255')).to.equal('127.0.0.0');
    expect(maskAddress('10.0.100.7', '255.255.0.0')).to.equal('10.0.0.0');
  });
});
