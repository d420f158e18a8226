/**
 * `ipvsadm -Lcn` as the kernel lab prints it, read into the director model's connection entries.
 */
import type { ConnectionEntry, Endpoint } from '../../director/model.js';

const LINE = /^(TCP|UDP|IP|SCTP)\s+(\d+):(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;

function endpoint(text: string): Endpoint {
  const at = text.lastIndexOf(':');
  return { address: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

export function parseConnectionTable(text: string): ConnectionEntry[] {
  const entries: ConnectionEntry[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const client = endpoint(m[5]!);
    entries.push({
      protocol: m[1]!,
      client,
      virtual: endpoint(m[6]!),
      destination: endpoint(m[7]!),
      state: m[4]!,
      expiresSeconds: Number(m[2]) * 60 + Number(m[3]),
      template: client.port === 0,
    });
  }
  return entries;
}
