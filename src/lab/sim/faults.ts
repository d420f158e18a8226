/**
 * Real servers made silent (a `stop` in blackhole mode): the host is gone, so nothing it would have
 * sent arrives and nothing sent to it is answered. The director consults this on every relayed chunk,
 * since on loopback the real server's sockets cannot be made to vanish without a trace.
 */
export class Faults {
  private readonly silent = new Set<string>();

  silence(address: string): void {
    this.silent.add(address);
  }

  restore(address: string): void {
    this.silent.delete(address);
  }

  isSilent(address: string): boolean {
    return this.silent.size > 0 && this.silent.has(address);
  }
}
