import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Closes a server's connections once their answers are out; see trackConnections. */
export type CloseConnections = () => Promise<void>;

// How often a closing server looks at its busy connections again.
const POLL_MS = 50;

/**
 * Follows a server's connections so that closing it can finish what it holds: called once,
 * before the server listens; the function it returns is called when the server starts to
 * close (it does not stop the listener).
 *
 * Closing ends every connection that holds nothing (idle keep-alive, or a request not yet
 * whole: a device sends its headers in one packet, so a half request at close is a stalled or
 * hostile client), then waits for each busy one (an answer not yet written, or not yet handed
 * whole to the kernel) and ends it once it is done. After `graceMs` whatever is left is
 * destroyed, so a slow or stalled reader cannot hold the process.
 *
 * DECISION: node's own `closeIdleConnections` (which `server.close()` calls) counts an answer
 * as done once `end` was called, and destroys its connection while the list is still being
 * written. The server's `closeIdleConnections` is replaced with one that waits for the write.
 *
 * @example
 * const closeConnections = trackConnections(server, { graceMs: 10_000, isTls: false });
 * app.addHook('preClose', () => closeConnections());
 */
export function trackConnections(
  server: Server,
  options: { readonly graceMs: number; readonly isTls: boolean },
): CloseConnections {
  const { graceMs, isTls } = options;
  // Over TLS the answers go through the TLS sockets; a TCP connection underneath one goes
  // with it, one still in its handshake is ended at once.
  const sockets = new Set<Socket>();
  const transports = new Set<Socket>();
  const follow =
    (into: Set<Socket>) =>
    (socket: Socket): void => {
      into.add(socket);
      socket.once('close', () => into.delete(socket));
    };
  // The TCP connections whose TLS handshake finished; node keeps the TCP one as `_parent`.
  const secured = new WeakSet<Socket>();
  server.on('connection', follow(isTls ? transports : sockets));
  if (isTls) {
    server.on('secureConnection', (socket: Socket & { _parent?: Socket | null }) => {
      follow(sockets)(socket);
      if (socket._parent) secured.add(socket._parent);
    });
  }

  // Idle: no answer under way. A TLS handshake not finished is idle too, like half a request.
  const closeIdle = (): void => {
    for (const socket of sockets) if (!isBusy(socket)) socket.destroy();
    for (const transport of transports) if (!secured.has(transport)) transport.destroy();
  };
  // node's server.close() calls this too: it must spare the answers still being written.
  server.closeIdleConnections = closeIdle;

  return async () => {
    const deadline = Date.now() + graceMs;
    for (;;) {
      closeIdle();
      if (sockets.size === 0 && transports.size === 0) return;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    for (const socket of [...sockets, ...transports]) socket.destroy();
  };
}

// node's HTTP server keeps the response a connection is answering as `_httpMessage` (not in its
// typings); it is unset once the answer is done.
function isBusy(socket: Socket): boolean {
  const answering = (socket as Socket & { _httpMessage?: { writableEnded: boolean } | null })
    ._httpMessage;
  const isAnswering = answering !== undefined && answering !== null && !answering.writableEnded;
  return isAnswering || socket.writableLength > 0;
}
