import { expect } from 'chai';
import type os from 'node:os';
import { addAddressCommands, missingAddresses } from '../../src/net/host-addresses.js';

function ipv4(address: string, netmask: string, internal = false): os.NetworkInterfaceInfo {
  const prefix = netmask.split('.').reduce((n, o) => n + Number(o).toString(2).replace(/0/g, '').length, 0);
  return { address, netmask, family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/${prefix}` };
}

const HOST = { lo: [ipv4('127.0.0.1', '255.0.0.0', true)], eth0: [ipv4('10.1.0.5', '255.255.255.0'), ipv4('10.1.0.6', '255.255.255.0')] };

describe('source addresses this host owns', () => {
  it('owns the addresses on its interfaces, and all of 127/8 on Linux only', () => {
    expect(missingAddresses(['10.1.0.5', '10.1.0.6', '127.0.9.1', '10.1.0.7'], HOST, 'linux')).to.deep.equal(['10.1.0.7']);
    expect(missingAddresses(['127.0.0.1', '127.0.9.1'], HOST, 'darwin')).to.deep.equal(['127.0.9.1']);
  });

  it("says how to add the missing ones: on the interface whose subnet holds them, else the first that is not loopback, as /32", () => {
    expect(addAddressCommands(['10.1.0.7'], HOST)).to.deep.equal(['ip addr add 10.1.0.7/24 dev eth0']);
    expect(addAddressCommands(['10.1.0.7', '10.1.0.8', '172.16.0.1'], HOST)).to.deep.equal([
      'for a in 10.1.0.7 10.1.0.8; do ip addr add $a/24 dev eth0; done',
      'ip addr add 172.16.0.1/32 dev eth0',
    ]);
  });
});
