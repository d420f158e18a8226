import { request, type Agent } from 'node:http';

export interface Answer {
  status: number;
  realServer: string;
  clientAddress: string;
  body: string;
}

/** GET / from `localAddress`; rejects on reset or refusal, and on a hang after `timeoutMs`. */
export function httpGet(host: string, port: number, localAddress: string, agent: Agent | false = false, timeoutMs = 3000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, localAddress, agent, path: '/' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          realServer: String(res.headers['x-real-server']),
          clientAddress: String(res.headers['x-client-address']),
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The error code a failed request ended with ('ECONNRESET', ...), or 'ok' if it was answered. */
export async function outcome(promise: Promise<Answer>): Promise<string> {
  try {
    return (await promise).realServer;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}
