import { expect } from 'chai';
import { HeadCache } from '../../src/bench/head-cache.js';
import { parseResponseHead } from '../../src/bench/response-head.js';

const head = (date: string, server: string): string =>
  `HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: ${date}\r\nContent-Length: 12\r\nConnection: keep-alive\r\nX-Real-Server: ${server}`;

/** The header at the start of a reused read buffer, followed by the blank line and a body. */
function inReadBuffer(buffer: Buffer, text: string): number {
  buffer.fill(0x78);
  buffer.write(`${text}\r\n\r\nhello world\n`, 'latin1');
  return text.length;
}

describe('bench response header cache', () => {
  it('parses like parseResponseHead and reuses the parse while the bytes repeat', () => {
    const cache = new HeadCache('x-real-server');
    const buffer = Buffer.alloc(1024);
    const a = head('Tue, 25 Nov 2025 09:00:00 GMT', 'web1');
    const first = cache.parse(buffer, inReadBuffer(buffer, a));
    expect(first).to.deep.equal(parseResponseHead(a, 'x-real-server', true));
    expect(first.identity).to.equal('web1');
    expect(cache.parse(buffer, inReadBuffer(buffer, a))).to.equal(first);
  });

  it('parses again when any byte differs, even at the same length, and keeps its own copy', () => {
    const cache = new HeadCache('x-real-server');
    const buffer = Buffer.alloc(1024);
    const one = cache.parse(buffer, inReadBuffer(buffer, head('Tue, 25 Nov 2025 09:00:00 GMT', 'web1')));
    const two = cache.parse(buffer, inReadBuffer(buffer, head('Tue, 25 Nov 2025 09:00:00 GMT', 'web2')));
    expect(two).to.not.equal(one);
    expect(two.identity).to.equal('web2');
    const longer = cache.parse(buffer, inReadBuffer(buffer, head('Tue, 25 Nov 2025 09:00:01 GMT', 'web10')));
    expect(longer.identity).to.equal('web10');
    buffer.fill(0); // the read buffer is reused: the cache compares against its copy, not the buffer
    expect(cache.parse(buffer, inReadBuffer(buffer, head('Tue, 25 Nov 2025 09:00:01 GMT', 'web10')))).to.equal(longer);
  });

  it('finds the end of a repeated header without a search, and only where a search would', () => {
    const cache = new HeadCache('x-real-server');
    const buffer = Buffer.alloc(1024);
    const a = head('Tue, 25 Nov 2025 09:00:00 GMT', 'web1');
    const n = inReadBuffer(buffer, a) + 4 + 12;
    expect(cache.match(buffer, n)).to.equal(null); // nothing cached yet
    const parsed = cache.parse(buffer, a.length);
    expect(cache.match(buffer, n)).to.equal(parsed);
    expect(cache.bodyStart).to.equal(a.length + 4);
    expect(cache.match(buffer, a.length + 3)).to.equal(null); // the blank line is not all there
    inReadBuffer(buffer, head('Tue, 25 Nov 2025 09:00:00 GMT', 'web2'));
    expect(cache.match(buffer, n)).to.equal(null);
    buffer.fill(0x78);
    buffer.write(`${a}\n\nhello world\n`, 'latin1'); // same bytes, another terminator: left to the search
    expect(cache.match(buffer, n)).to.equal(null);
  });
});
