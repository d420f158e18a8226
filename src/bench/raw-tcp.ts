/**
 * The connection-per-request hot path without net.Socket. Measured on a 2-core box against nginx,
 * a net.Socket costs about 25 µs of JavaScript per connection (stream states, listeners, nextTicks,
 * the destroy path) on top of the kernel's ~50 µs, which is why ab (C, ~1 µs) was ahead. This drives
 * the libuv TCP handle that net.Socket itself wraps (Node's `tcp_wrap` binding) directly: one handle,
 * one connect request and one write request per connection, reads into the slot's own buffer.
 *
 * The binding is internal (reached through the documentation-deprecated process.binding, DEP0111), so
 * it is used only when it has exactly the shape this code relies on, checked once at load time, and
 * only for IP-literal targets; otherwise `rawTcpAvailable` is false and connection.ts uses net.Socket.
 * `LVS_HARNESS_NET_SOCKETS=1` forces net.Socket (and the tests run both paths).
 */
import { getSystemErrorMap, getSystemErrorName } from 'node:util';

/** What a raw socket reports to its owner; `n` bytes are at the start of the owner's read buffer. */
export interface RawTcpOwner {
  onConnected(): void;
  onData(n: number): void;
  onEnd(): void;
  onError(err: NodeJS.ErrnoException): void;
}

interface TcpHandle {
  owner: RawTcp | undefined;
  onread: ((this: TcpHandle) => void) | undefined;
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  connect(req: unknown, address: string, port: number): number;
  connect6(req: unknown, address: string, port: number): number;
  useUserBuffer(buffer: Buffer): void;
  readStart(): number;
  writeBuffer(req: unknown, data: Buffer): number;
  close(): void;
}
interface Binding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => { oncomplete: (status: number, handle: TcpHandle) => void };
  WriteWrap: new () => { handle: TcpHandle; oncomplete: () => void; async: boolean };
  socketType: number;
  state: Int32Array;
  kReadBytesOrError: number;
}

function loadBinding(): Binding | null {
  if (process.env.LVS_HARNESS_NET_SOCKETS === '1') return null;
  try {
    const bind = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tcp = bind('tcp_wrap');
    const stream = bind('stream_wrap');
    const TCP = tcp.TCP as Binding['TCP'] | undefined;
    const constants = tcp.constants as { SOCKET?: number } | undefined;
    const proto = TCP?.prototype as Partial<TcpHandle> | undefined;
    const ok =
      typeof TCP === 'function' && typeof tcp.TCPConnectWrap === 'function' && typeof stream.WriteWrap === 'function' &&
      typeof constants?.SOCKET === 'number' && stream.streamBaseState instanceof Int32Array &&
      typeof stream.kReadBytesOrError === 'number' &&
      ['bind', 'bind6', 'connect', 'connect6', 'useUserBuffer', 'readStart', 'writeBuffer', 'close'].every(
        (m) => typeof (proto as Record<string, unknown> | undefined)?.[m] === 'function',
      );
    if (!ok) return null;
    return {
      TCP,
      TCPConnectWrap: tcp.TCPConnectWrap as Binding['TCPConnectWrap'],
      WriteWrap: stream.WriteWrap as Binding['WriteWrap'],
      socketType: constants.SOCKET as number,
      state: stream.streamBaseState as Int32Array,
      kReadBytesOrError: stream.kReadBytesOrError as number,
    };
  } catch {
    return null;
  }
}

const binding = loadBinding();
const UV_EOF = [...getSystemErrorMap()].find(([, [name]]) => name === 'EOF')?.[0] ?? -4095;

/** Whether the raw path can serve a target at `host` (an IP literal, see the file comment). */
export function rawTcpAvailable(family: 0 | 4 | 6): boolean {
  return binding !== null && family !== 0;
}

function uvError(status: number, syscall: string): NodeJS.ErrnoException {
  const code = getSystemErrorName(status);
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: status, syscall });
}

// Shared callbacks: `this`/`handle` lead back to the socket, so no closure is made per connection.
function onConnect(status: number, handle: TcpHandle): void {
  const s = handle.owner;
  if (!s || s.destroyed) return;
  if (status < 0) {
    s.owner.onError(uvError(status, 'connect'));
    return;
  }
  handle.readStart();
  s.owner.onConnected();
}

function onRead(this: TcpHandle): void {
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

/** One TCP connection on the raw handle; the same `write`/`destroy`/`destroyed` as net.Socket. */
export class RawTcp {
  destroyed = false;
  private readonly handle: TcpHandle;

  constructor(
    readonly owner: RawTcpOwner,
    host: string,
    family: 4 | 6,
    port: number,
    localAddress: string | undefined,
    readBuffer: Buffer,
  ) {
    const b = binding as Binding;
    this.handle = new b.TCP(b.socketType);
    this.handle.owner = this;
    this.handle.onread = onRead;
    this.handle.useUserBuffer(readBuffer);
    let err = 0;
    if (localAddress) err = family === 6 ? this.handle.bind6(localAddress, 0, 0) : this.handle.bind(localAddress, 0);
    const req = new b.TCPConnectWrap();
    req.oncomplete = onConnect;
    if (!err) err = family === 6 ? this.handle.connect6(req, host, port) : this.handle.connect(req, host, port);
    // Reported asynchronously, as net.Socket reports a failed connect.
    if (err) queueMicrotask(() => !this.destroyed && owner.onError(uvError(err, localAddress ? 'bind' : 'connect')));
  }

  /** Writes `data`; false after a synchronous failure, which is reported through onError. */
  write(data: Buffer): boolean {
    const b = binding as Binding;
    const req = new b.WriteWrap();
    req.handle = this.handle;
    req.oncomplete = onWritten;
    req.async = false;
    const err = this.handle.writeBuffer(req, data);
    if (err) {
      queueMicrotask(() => !this.destroyed && this.owner.onError(uvError(err, 'write')));
      return false;
    }
    return true;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.handle.owner = undefined;
    this.handle.close();
  }
}
