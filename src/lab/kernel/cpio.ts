/**
 * A minimal writer of the `newc` cpio format, the one the kernel unpacks as an initramfs: enough for
 * directories, regular files and a device node, so building the guest's initramfs needs no cpio tool.
 */

export type CpioEntry =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string; data: Buffer; executable?: boolean }
  | { kind: 'char'; path: string; major: number; minor: number };

const MODE = { dir: 0o040755, file: 0o100644, exec: 0o100755, char: 0o020600 };

function pad4(n: number): Buffer {
  return Buffer.alloc((4 - (n % 4)) % 4);
}

function record(ino: number, name: string, mode: number, data: Buffer, rdev: [number, number] = [0, 0]): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`);
  const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`);
  return [header, nameBytes, pad4(header.length + nameBytes.length), data, pad4(data.length)];
}

export function cpioArchive(entries: readonly CpioEntry[]): Buffer {
  const parts = entries.flatMap((e, i) => {
    const name = e.path.replace(/^\/+/, '');
    switch (e.kind) {
      case 'dir':
        return record(i + 1, name, MODE.dir, Buffer.alloc(0));
      case 'file':
        return record(i + 1, name, e.executable ? MODE.exec : MODE.file, e.data);
      case 'char':
        return record(i + 1, name, MODE.char, Buffer.alloc(0), [e.major, e.minor]);
    }
  });
  return Buffer.concat([...parts, ...record(0, 'TRAILER!!!', 0, Buffer.alloc(0))]);
}
