/**
 * Node's internal libuv TCP binding (`tcp_wrap` + `stream_wrap`), shared by the bench's raw client
 * (raw-tcp.ts) and the embedded lab's raw proxy (src/lab/sim/raw-splice.ts). A net.Socket is this
 * handle plus stream machinery that costs tens of µs per connection; both hot paths drive the handle
 * directly instead.
 *
 * The binding is internal (reached through the documentation-deprecated process.binding, DEP0111), so
 * it is used only when it has exactly the shape relied on here, checked once at load time; otherwise
 * `tcpBinding` is null and callers use net. `LVS_HARNESS_NET_SOCKETS=1` forces net (the tests run both).
 */
import { getSystemErrorMap, getSystemErrorName } from 'node:util';

/** A libuv TCP handle; `owner` is ours: shared callbacks find their connection through it. */
export interface TcpHandle<O = unknown> {
  owner: O | undefined;
  // Callbacks as methods (bivariant): each caller types `this` as its own kind of handle.
  onread?(arrayBuffer: ArrayBuffer | undefined): void;
  onconnection?(status: number, client: TcpHandle | undefined): void;
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  listen(backlog: number): number;
  connect(req: ConnectReq, address: string, port: number): number;
  connect6(req: ConnectReq, address: string, port: number): number;
  getpeername(out: { address?: string; port?: number }): number;
  getsockname(out: { address?: string; port?: number }): number;
  setNoDelay(enable: boolean): number;
  useUserBuffer(buffer: Uint8Array): void;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  shutdown(req: ShutdownReq): number;
  /** Closes with an RST (uv_tcp_close_reset). */
  reset(onClose?: () => void): number;
  close(onClose?: () => void): void;
}

export interface ConnectReq {
  oncomplete(status: number, handle: TcpHandle): void;
}
export interface WriteReq {
  handle: TcpHandle;
  oncomplete(status: number): void;
  async: boolean;
  /** Keeps an asynchronously written buffer alive until the write completes. */
  buffer?: Uint8Array | null;
}
export interface ShutdownReq {
  handle: TcpHandle;
  oncomplete(status: number): void;
}

export interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectReq;
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  socketType: number;
  serverType: number;
  /** streamBaseState: read and write results are reported here, not as arguments. */
  state: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
}

const HANDLE_METHODS = [
  'bind', 'bind6', 'listen', 'connect', 'connect6', 'getpeername', 'getsockname', 'setNoDelay', 'useUserBuffer', 'readStart',
  'readStop', 'writeBuffer', 'shutdown', 'reset', 'close',
];

function loadBinding(): TcpBinding | null {
  if (process.env.LVS_HARNESS_NET_SOCKETS === '1') return null;
  try {
    const bind = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tcp = bind('tcp_wrap');
    const stream = bind('stream_wrap');
    const TCP = tcp.TCP as TcpBinding['TCP'] | undefined;
    const constants = tcp.constants as { SOCKET?: number; SERVER?: number } | undefined;
    const proto = TCP?.prototype as Record<string, unknown> | undefined;
    const ok =
      typeof TCP === 'function' && typeof tcp.TCPConnectWrap === 'function' && typeof stream.WriteWrap === 'function' &&
      typeof stream.ShutdownWrap === 'function' && typeof constants?.SOCKET === 'number' &&
      typeof constants.SERVER === 'number' && stream.streamBaseState instanceof Int32Array &&
      ['kReadBytesOrError', 'kArrayBufferOffset', 'kLastWriteWasAsync'].every((k) => typeof stream[k] === 'number') &&
      HANDLE_METHODS.every((m) => typeof proto?.[m] === 'function');
    if (!ok) return null;
    return {
      TCP,
      TCPConnectWrap: tcp.TCPConnectWrap as TcpBinding['TCPConnectWrap'],
      WriteWrap: stream.WriteWrap as TcpBinding['WriteWrap'],
      ShutdownWrap: stream.ShutdownWrap as TcpBinding['ShutdownWrap'],
      socketType: constants.SOCKET as number,
      serverType: constants.SERVER as number,
      state: stream.streamBaseState as Int32Array,
      kReadBytesOrError: stream.kReadBytesOrError as number,
      kArrayBufferOffset: stream.kArrayBufferOffset as number,
      kLastWriteWasAsync: stream.kLastWriteWasAsync as number,
    };
  } catch {
    return null;
  }
}

export const tcpBinding = loadBinding();

/**
 * Write requests for one kind of write (one completion callback). libuv's try-write path never
 * attaches a write that completes synchronously (nearly all: a small write fits the socket buffer) to
 * its request object, so one object serves them all; a write that goes asynchronous keeps its object
 * until it completes, and the next write gets a new one.
 */
export class WriteReqs {
  private spare: WriteReq | null = null;

  constructor(
    private readonly binding: TcpBinding,
    private readonly oncomplete: (this: WriteReq, status: number) => void,
  ) {}

  /** A request for the next write to `handle`. */
  take(handle: TcpHandle): WriteReq {
    let req = this.spare;
    this.spare = null;
    if (req === null) {
      req = new this.binding.WriteWrap();
      req.oncomplete = this.oncomplete;
      req.async = false;
    }
    req.handle = handle;
    return req;
  }

  /**
   * Called after `handle.writeBuffer(req, …)` succeeded: keeps `req` for the next write unless this
   * write went asynchronous (it then holds `req` until it completes); returns whether it did.
   */
  afterWrite(req: WriteReq): boolean {
    if (this.binding.state[this.binding.kLastWriteWasAsync]) return true;
    this.spare = req;
    return false;
  }
}

export const UV_EOF = [...getSystemErrorMap()].find(([, [name]]) => name === 'EOF')?.[0] ?? -4095;

/** A libuv status as the ErrnoException net.Socket would emit for it. */
export function uvError(status: number, syscall: string): NodeJS.ErrnoException {
  const code = getSystemErrorName(status);
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: status, syscall });
}
