/**
 * The director's hot path on raw libuv TCP handles (src/bench/tcp-binding.ts): listen, accept,
 * connect out from the client's address, relay bytes both ways. Two net.Sockets and two pipes cost
 * the director about 120 µs of JavaScript per connection (stream states, listeners, nextTicks, the
 * destroy path), twice what the kernel spends on it; here a connection is one object, two handles
 * and shared callbacks that find it through `handle.owner`, so no closure is made per connection.
 *
 * What a kernel director relays, this relays: bytes as they come (an asynchronous write stops reading
 * the sending side until it is out: no buffering beyond one chunk), a FIN as a shutdown of the other
 * side once the bytes before it are out (half-close), an RST or a failed connect as an RST on the
 * other side. A connection is closed when both sides have sent their FIN and every byte is out.
 */
import {
  tcpBinding,
  UV_EOF,
  uvError,
  type ConnectReq,
  type ShutdownReq,
  type TcpBinding,
  type TcpHandle,
  type WriteReq,
  WriteReqs,
} from '../../bench/tcp-binding.js';
import type { IpvsTable, LabConnection } from './ipvs-table.js';
import type { Faults } from './faults.js';

/** False when Node's TCP binding is not as expected (or LVS_HARNESS_NET_SOCKETS=1): use net. */
export const rawSpliceAvailable = tcpBinding !== null;
const b = tcpBinding as TcpBinding;
/** net.Server's default backlog. */
const BACKLOG = 511;

/** One side of a spliced connection. */
interface End extends TcpHandle<Splice> {
  peer: End;
  /** This side sent its FIN. */
  eof: boolean;
  /** Asynchronous writes to this side not yet complete. */
  queued: number;
}

/** What an accepted connection needs: the address it was accepted on, and where to register it. */
interface Listener {
  readonly table: IpvsTable;
  readonly vaddr: string;
  readonly vport: number;
  readonly open: Set<{ destroy(): void }>;
  /** Real servers that went silent (blackhole stops). */
  readonly faults?: Faults;
}

/** Listens on host:port; throws the libuv error (EADDRINUSE, ...) at once. Resolves on close. */
export function listenRaw(listener: Listener): () => Promise<void> {
  const server = new b.TCP(b.serverType) as TcpHandle<Listener>;
  let err = server.bind(listener.vaddr, listener.vport);
  if (!err) err = server.listen(BACKLOG);
  if (err) {
    server.close();
    throw uvError(err, 'listen');
  }
  server.owner = listener;
  server.onconnection = onConnection;
  return () => new Promise<void>((resolve) => server.close(resolve));
}

function onConnection(this: TcpHandle<Listener>, status: number, client: TcpHandle | undefined): void {
  const listener = this.owner;
  // A failed accept (EMFILE, ...) has no client to answer; the kernel keeps the backlog.
  if (listener === undefined || status < 0 || client === undefined) return;
  const peer: { address?: string; port?: number } = {};
  const known = client.getpeername(peer) === 0;
  const { address: caddr, port: cport } = peer;
  const { vaddr, vport, table } = listener;
  const scheduled =
    known && caddr !== undefined && cport !== undefined ? table.schedule({ protocol: 'tcp', caddr, cport, vaddr, vport }) : null;
  if (scheduled === null || caddr === undefined) {
    resetOrClose(client);
    return;
  }
  const splice = new Splice(listener, scheduled.conn, client as End);
  listener.open.add(splice);
  // A silent host never answers the SYN: the client is held, its bytes unanswered, until it gives up.
  if (listener.faults?.isSilent(scheduled.address)) splice.hold();
  else splice.connect(scheduled.address, scheduled.port, caddr);
}

/** An RST where the handle allows it (not while a shutdown is pending), else a plain close. */
function resetOrClose(handle: TcpHandle): void {
  if (handle.reset() !== 0) handle.close();
}

function onConnect(status: number, handle: TcpHandle): void {
  const s = (handle as End).owner;
  if (s === undefined) return; // closed while connecting
  if (status < 0) s.fail(handle as End);
  else s.connected();
}

function onRead(this: End, arrayBuffer: ArrayBuffer | undefined): void {
  const s = this.owner;
  if (s === undefined) return;
  const n = b.state[b.kReadBytesOrError] ?? 0;
  if (n > 0 && arrayBuffer !== undefined) s.relay(this, new Uint8Array(arrayBuffer, b.state[b.kArrayBufferOffset], n));
  else if (n === UV_EOF) s.eof(this);
  else if (n < 0) s.fail(this);
}

function onWritten(this: WriteReq, status: number): void {
  const to = this.handle as End;
  this.buffer = null;
  to.queued--;
  const s = to.owner;
  if (s === undefined) return;
  if (status < 0) s.fail(to);
  else if (to.queued === 0) s.drained(to);
}

const writeReqs = new WriteReqs(b, onWritten);

function onShutdown(): void {
  // The FIN went out; closing waits for the other side's FIN (Splice.closeIfDone), not for this.
}

class Splice {
  private readonly client: End;
  private readonly upstream: End;
  private done = false;

  constructor(
    private readonly listener: Listener,
    private readonly conn: LabConnection,
    client: End,
  ) {
    const upstream = new b.TCP(b.socketType) as End;
    this.client = client;
    this.upstream = upstream;
    for (const [end, peer] of [[client, upstream], [upstream, client]] as const) {
      end.owner = this;
      end.peer = peer;
      end.eof = false;
      end.queued = 0;
      end.onread = onRead;
    }
  }

  connect(address: string, port: number, localAddress: string): void {
    const upstream = this.upstream;
    this.client.setNoDelay(true);
    // From the client's own address, so the real server sees the client as behind a kernel director.
    let err = upstream.bind(localAddress, 0);
    if (!err) {
      upstream.setNoDelay(true);
      const req: ConnectReq = new b.TCPConnectWrap();
      req.oncomplete = onConnect;
      err = upstream.connect(req, address, port);
    }
    // The real server's side is read from the connect on: libuv then watches both directions of the
    // new socket with one epoll_ctl, where a read started after the connect costs a failed ADD and a
    // MOD. The client is not read until the real server accepted (the kernel holds its bytes meanwhile).
    if (!err) err = upstream.readStart();
    if (err) this.fail(upstream);
  }

  connected(): void {
    this.listener.table.established(this.conn);
    this.client.readStart();
  }

  /** Reads the client and drops what it sends: the real server behind is silent. */
  hold(): void {
    this.client.readStart();
  }

  relay(from: End, data: Uint8Array): void {
    if (this.dropped(from)) return;
    const to = from.peer;
    const req = writeReqs.take(to);
    const err = to.writeBuffer(req, data);
    if (err) {
      this.fail(to);
    } else if (writeReqs.afterWrite(req)) {
      // The kernel's buffer is full: hold the data until it is out, and the sender until then.
      req.buffer = data;
      to.queued++;
      from.readStop();
    }
  }

  drained(to: End): void {
    if (!to.peer.eof) to.peer.readStart();
    this.closeIfDone();
  }

  eof(from: End): void {
    // The FIN of a connection nobody answers any more is dropped like its bytes; the client is done.
    if (from === this.client && this.dropped(from)) {
      this.finish();
      return;
    }
    from.eof = true;
    const to = from.peer;
    if (to.eof) {
      // Both FINs are in: closing `to` sends its FIN (no shutdown needed) once its writes are out.
      this.closeIfDone();
      return;
    }
    // Half-close: the FIN follows the bytes still queued toward `to`.
    const req: ShutdownReq = new b.ShutdownWrap();
    req.handle = to;
    req.oncomplete = onShutdown;
    to.shutdown(req);
  }

  /** `bad` failed (RST, refused connect, write error): the other side gets an RST. */
  fail(bad: End): void {
    if (this.close()) {
      resetOrClose(bad.peer);
      bad.close();
      this.listener.table.ended(this.conn, 'reset');
    }
  }

  /**
   * Whether `from`'s chunk is lost on the way: anything to or from a silent real server, and a client's
   * packet on a connection whose dest was removed (expire_nodest_conn=0); with expire_nodest_conn=1 the
   * entry is expired instead and the client gets a reset.
   */
  private dropped(from: End): boolean {
    const { conn, listener } = this;
    if (listener.faults?.isSilent(conn.daddr)) return true;
    if (from !== this.client) return false;
    const verdict = listener.table.packetVerdict(conn);
    if (verdict === 'expire') this.fail(this.upstream);
    return verdict !== 'pass';
  }

  /** Closes both sides as they are (director shutdown). */
  destroy(): void {
    this.finish();
  }

  private closeIfDone(): void {
    const { client, upstream } = this;
    if (client.eof && upstream.eof && client.queued === 0 && upstream.queued === 0) this.finish();
  }

  private finish(): void {
    if (this.close()) {
      this.client.close();
      this.upstream.close();
      this.listener.table.ended(this.conn, 'fin');
    }
  }

  /** Forgets the connection once; late callbacks from its handles find no owner. */
  private close(): boolean {
    if (this.done) return false;
    this.done = true;
    this.client.owner = undefined;
    this.upstream.owner = undefined;
    this.listener.open.delete(this);
    return true;
  }
}
