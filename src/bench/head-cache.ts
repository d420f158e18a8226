/**
 * The last response header parsed, kept with its bytes. A server under a benchmark sends the same
 * header again and again (nginx's changes once a second, with Date), so nearly every response costs
 * one byte comparison (~50 ns) instead of a parse (latin1 string, lowercase copy, searches, ~0.8 µs).
 * The ResponseHead handed out is shared between responses: read it, never change it.
 */
import { parseResponseHead, type ResponseHead } from './response-head.js';

export class HeadCache {
  private bytes: Buffer = Buffer.alloc(0);
  private head: ResponseHead | null = null;

  /** `identifyHeader` must already be lowercase (see parseResponseHead). */
  constructor(private readonly identifyHeader: string | undefined) {}

  /** Where the body starts in a response that `match` recognised: after the header and its blank line. */
  get bodyStart(): number {
    return this.bytes.length + 4;
  }

  /**
   * The cached header's parse when `data[0, n)` starts with that header and CRLFCRLF, else null.
   * That is exactly where a search would find the first blank line: the cached bytes were themselves
   * cut at a first blank line, so none starts inside them or overlaps the one that follows.
   */
  match(data: Buffer, n: number): ResponseHead | null {
    const end = this.bytes.length;
    if (this.head === null || n < end + 4) return null;
    if (data[end] !== 13 || data[end + 1] !== 10 || data[end + 2] !== 13 || data[end + 3] !== 10) return null;
    return this.bytes.compare(data, 0, end) === 0 ? this.head : null;
  }

  /** The parse of `data[0, end)`, the header without its blank line. */
  parse(data: Buffer, end: number): ResponseHead {
    if (this.head !== null && this.bytes.length === end && this.bytes.compare(data, 0, end) === 0) return this.head;
    this.bytes = Buffer.from(data.subarray(0, end)); // a copy: `data` is a reused read buffer
    this.head = parseResponseHead(data.toString('latin1', 0, end), this.identifyHeader, true);
    return this.head;
  }
}
