import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';

/**
 * Sends request headers and only `body` (which may be far shorter than the declared length) over a
 * raw socket, and resolves with the status line's code as soon as the server answers — while the
 * rest of the declared body is still outstanding. Rejects after `timeoutMs` without an answer.
 */
export function statusBeforeBodyEnds(url: string, head: { method: string; path: string; headers: Record<string, string> }, body: string, timeoutMs = 5_000): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms while the declared body was still outstanding`));
    }, timeoutMs);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (!status) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(status[1]));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const lines = [`${head.method} ${head.path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(head.headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

/**
 * One request through node:http, which (unlike fetch) sends the Host header it is given: for tests of
 * what a forged Host or Origin does. The body, when JSON, is parsed.
 */
export function requestWithHost(
  url: string,
  head: { method: string; path: string; headers: Record<string, string> },
  body?: Buffer | string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port: Number(port), method: head.method, path: head.path, headers: head.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = (response.headers['content-type'] ?? '').includes('json');
        resolve({ status: response.statusCode ?? 0, body: json ? (JSON.parse(text) as Record<string, unknown>) : { raw: text } });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A FormData as the bytes and content type a browser would send. */
export async function encodedForm(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? '' };
}
