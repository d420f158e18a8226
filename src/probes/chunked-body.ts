/**
 * Reads an HTTP/1.1 chunked body (RFC 9112 section 7.1) as it arrives in pieces: chunk sizes in hex,
 * extensions after ';' ignored, the data handed on, trailer lines skipped up to the closing blank line.
 */

type State = 'size' | 'extension' | 'data' | 'data-end' | 'trailer' | 'done';

export class ChunkedBody {
  private state: State = 'size';
  private size = 0;
  private digits = 0;
  private left = 0;
  private lineLength = 0;

  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Reads `data[from, to)`, passing each piece of chunk data to `onData` (views of `data`: copy what
   * you keep). Returns what is wrong when the bytes are not a chunked body, else null.
   */
  feed(data: Buffer, from: number, to: number, onData?: (piece: Buffer) => void): string | null {
    let i = from;
    while (i < to && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.left, to - i);
        onData?.(data.subarray(i, i + take));
        this.left -= take;
        i += take;
        if (this.left === 0) this.state = 'data-end';
        continue;
      }
      const byte = data[i++]!;
      const problem = this.step(byte);
      if (problem !== null) return problem;
    }
    return null;
  }

  private step(byte: number): string | null {
    switch (this.state) {
      case 'size': {
        const digit = hexDigit(byte);
        if (digit >= 0) {
          // A size past 2^48 is no body a probe waits for: refused rather than losing precision.
          if (++this.digits > 12) return 'chunk size too large';
          this.size = this.size * 16 + digit;
          return null;
        }
        if (this.digits === 0) return 'Invalid character in chunk size';
        if (byte === 0x3b || byte === 0x20 || byte === 0x09) this.state = 'extension';
        else if (byte === 0x0a) this.endSizeLine();
        else if (byte !== 0x0d) return 'Invalid character in chunk size';
        return null;
      }
      case 'extension':
        if (byte === 0x0a) this.endSizeLine();
        return null;
      case 'data-end':
        if (byte === 0x0a) this.state = 'size';
        else if (byte !== 0x0d) return 'Expected LF after chunk data';
        return null;
      case 'trailer':
        if (byte === 0x0a) {
          if (this.lineLength === 0) this.state = 'done';
          this.lineLength = 0;
        } else if (byte !== 0x0d) this.lineLength++;
        return null;
      default:
        return null;
    }
  }

  private endSizeLine(): void {
    this.left = this.size;
    this.state = this.size === 0 ? 'trailer' : 'data';
    this.size = 0;
    this.digits = 0;
  }
}

function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
