import { expect } from 'chai';
import { IacFilter } from '../../src/net/telnet-iac.js';

/** Latin1 text from bytes, as sockets with setEncoding('latin1') deliver it. */
const bytes = (...b: number[]): string => String.fromCharCode(...b);

describe('telnet command stripping', () => {
  it('removes option negotiation, subnegotiation and two-byte commands, and unescapes IAC IAC', () => {
    const f = new IacFilter();
    const input = bytes(255, 251, 1, 255, 253, 31) + 'ban' + bytes(255, 250, 24, 1, 255, 240) + 'ner' + bytes(255, 241) + bytes(255, 255) + '!';
    expect(f.push(input)).to.equal('banner\xff!');
  });

  it('holds back a command split across chunks until its last byte', () => {
    const f = new IacFilter();
    expect(f.push('a' + bytes(255))).to.equal('a');
    expect(f.push(bytes(253))).to.equal('');
    expect(f.push(bytes(24) + 'b' + bytes(255, 250, 31, 0))).to.equal('b');
    expect(f.push(bytes(80, 0, 24, 255, 240) + 'c')).to.equal('c');
  });

  it('drops an unterminated subnegotiation past its bound instead of growing', () => {
    const f = new IacFilter();
    expect(f.push(bytes(255, 250, 24) + 'x'.repeat(2000))).to.equal('');
    expect(f.push('after')).to.equal('after');
  });
});
