/**
 * The connection-per-request hot path without net.Socket. Measured on a 2-core box against nginx,
 * a net.Socket costs about 25 µs of JavaScript per connection (stream states, listeners, nextTicks,
 * the destroy path) on top of the kernel's ~50 µs, which is why ab (C, ~1 µs) was ahead. This drives
 * the libuv TCP handle that net.Socket itself wraps (tcp-binding.ts) directly: one handle and one
 * connect request per connection, one write request shared by every synchronous write, reads into the
 * slot's own buffer. Only for IP-literal targets; otherwise `rawTcpAvailable` is false and
 * connection.ts uses net.Socket.
 */
import { tcpBinding as binding, UV_EOF, uvError, WriteReqs, type TcpBinding, type TcpHandle } from './tcp-binding.js';

/** What a raw socket reports to its owner; `n` bytes are at the start of the owner's read buffer. */
export interface RawTcpOwner {
  onConnected(): void;
  onData(n: number): void;
  onEnd(): void;
  onError(err: NodeJS.ErrnoException): void;
}

/** Whether the raw path can serve a target at `host` (an IP literal, see the file comment). */
export function rawTcpAvailable(family: 0 | 4 | 6): boolean {
  return binding !== null && family !== 0;
}

// Shared callbacks: `this`/`handle` lead back to the socket, so no closure is made per connection.
function onConnect(status: number, handle: TcpHandle<RawTcp>): void {
  const s = handle.owner;
  if (!s || s.destroyed) return;
  if (status < 0) {
    s.owner.onError(uvError(status, 'connect'));
    return;
  }
  s.owner.onConnected();
}

function onRead(this: TcpHandle<RawTcp>): void {
  const s = this.owner;
  if (!s || s.destroyed || !binding) return;
  const n = binding.state[binding.kReadBytesOrError] ?? 0;
  if (n > 0) s.owner.onData(n);
  else if (n === UV_EOF) s.owner.onEnd();
  else if (n < 0) s.owner.onError(uvError(n, 'read'));
}

function onWritten(): void {
  // Completion of an asynchronous write; the request bytes are the target's and stay alive.
}

const writeReqs = binding ? new WriteReqs(binding, onWritten) : null;

/** One TCP connection on the raw handle; the same `write`/`destroy`/`destroyed` as net.Socket. */
export class RawTcp {
  destroyed = false;
  private readonly handle: TcpHandle<RawTcp>;

  constructor(
    readonly owner: RawTcpOwner,
    host: string,
    family: 4 | 6,
    port: number,
    localAddress: string | undefined,
    readBuffer: Buffer,
  ) {
    const b = binding as TcpBinding;
    this.handle = new b.TCP(b.socketType) as TcpHandle<RawTcp>;
    this.handle.owner = this;
    this.handle.onread = onRead;
    this.handle.useUserBuffer(readBuffer);
    let err = 0;
    if (localAddress) err = family === 6 ? this.handle.bind6(localAddress, 0, 0) : this.handle.bind(localAddress, 0);
    const req = new b.TCPConnectWrap();
    req.oncomplete = onConnect;
    if (!err) err = family === 6 ? this.handle.connect6(req, host, port) : this.handle.connect(req, host, port);
    // Reading starts with the connect (libuv takes it once the socket exists): the poller then learns
    // of both directions in one epoll_ctl, not a failed ADD and a MOD after the connect.
    if (!err) err = this.handle.readStart();
    // Reported asynchronously, as net.Socket reports a failed connect.
    if (err) queueMicrotask(() => !this.destroyed && owner.onError(uvError(err, localAddress ? 'bind' : 'connect')));
  }

  /** Writes `data`; false after a synchronous failure, which is reported through onError. */
  write(data: Buffer): boolean {
    const reqs = writeReqs as WriteReqs;
    const req = reqs.take(this.handle);
    const err = this.handle.writeBuffer(req, data);
    if (err) {
      queueMicrotask(() => !this.destroyed && this.owner.onError(uvError(err, 'write')));
      return false;
    }
    reqs.afterWrite(req);
    return true;
  }

  /** The local port the connection was bound to (read it once connected), null if unknown. */
  localPort(): number | null {
    const out: { port?: number } = {};
    return this.handle.getsockname(out) === 0 ? (out.port ?? null) : null;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.handle.owner = undefined;
    this.handle.close();
  }
}
