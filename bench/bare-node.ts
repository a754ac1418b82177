import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running bare node:http server. */
export interface BareNode {
  readonly base: string;
  close(): Promise<void>;
}

/**
 * The floor under any node server on this machine: node's own HTTP server answering the list
 * from memory, with the same checks as the bare fastify route (Authorization and If-None-Match
 * compared as strings) and no framework at all.
 *
 * @example
 * const bare = await startBareNode('/feeds/bench/ip.txt', list, 'Bearer …');
 */
export async function startBareNode(
  path: string,
  body: Buffer,
  authorization: string,
): Promise<BareNode> {
  const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
  const server: Server = createServer((request, response) => {
    if (request.url !== path || request.headers.authorization !== authorization) {
      response.writeHead(401).end();
      return;
    }
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response
      .writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': body.length,
        etag,
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
