/**
 * The lab FTP server's in-memory files: `whoami.txt` naming the real server, plus what clients
 * upload. Bounded so a long run cannot grow it without limit: uploads beyond MAX_FILES evict the
 * oldest upload.
 */
export const WHOAMI = 'whoami.txt';
export const MAX_FILE_BYTES = 1 << 20;
const MAX_FILES = 1000;

export class FtpFiles {
  private readonly files = new Map<string, Buffer>();

  constructor(serverName: string) {
    this.files.set(WHOAMI, Buffer.from(`${serverName}\n`));
  }

  get(name: string): Buffer | undefined {
    return this.files.get(strip(name));
  }

  put(name: string, content: Buffer): void {
    const key = strip(name);
    this.files.delete(key);
    this.files.set(key, content);
    for (const old of this.files.keys()) {
      if (this.files.size <= MAX_FILES) break;
      if (old !== WHOAMI) this.files.delete(old);
    }
  }

  delete(name: string): boolean {
    const key = strip(name);
    return key !== WHOAMI && this.files.delete(key);
  }

  /** `ls -l` lines, as most servers answer LIST. */
  listing(): string {
    return [...this.files].map(([name, b]) => `-rw-r--r-- 1 ftp ftp ${String(b.length).padStart(8)} Jan 01 00:00 ${name}\r\n`).join('');
  }
}

/** One flat directory: `/whoami.txt` and `whoami.txt` are the same file. */
function strip(name: string): string {
  return name.replace(/^\/+/, '');
}
