import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastify, { type FastifyInstance } from 'fastify';

/** A running bare fastify server. */
export interface BareFastify {
  readonly base: string;
  close(): Promise<void>;
}

/**
 * The reference the issue names: a plain fastify route serving the list from memory with the
 * least a feed needs and nothing of iocrelay's: the Authorization header compared as a string,
 * an ETag and If-None-Match compared as strings, Content-Type and Content-Length. No tenant
 * lookup, no client allowlist, no gzip, no delivery record, no log.
 *
 * @example
 * const bare = await startBareFastify('/feeds/bench/ip.txt', list, 'Bearer …');
 */
export async function startBareFastify(
  path: string,
  body: Buffer,
  authorization: string,
): Promise<BareFastify> {
  const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
  const app: FastifyInstance = fastify({ logger: false });
  app.get(path, (request, reply) => {
    if (request.headers.authorization !== authorization) return reply.code(401).send();
    if (request.headers['if-none-match'] === etag)
      return reply.code(304).header('etag', etag).send();
    return reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('etag', etag)
      .send(body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => app.close() };
}
