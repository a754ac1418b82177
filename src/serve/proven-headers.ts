import type { Socket } from 'node:net';
import type { Authenticated } from './feed-credentials.js';

/** An Authorization header a connection has proved, and who it proved to be. */
export interface ProvenHeader {
  readonly header: string;
  readonly caller: Authenticated;
  readonly scheme: 'basic' | 'bearer';
}

/** The Authorization header each open connection last proved. */
export interface ProvenHeaders {
  /** What `socket` proved with exactly `header`, or undefined: then check it in full. */
  get(socket: Socket, header: string): ProvenHeader | undefined;
  /** Keeps a header that has just passed the full check. */
  set(socket: Socket, proven: ProvenHeader): void;
}

/**
 * DECISION: a keep-alive connection that proved an Authorization header is not asked to prove
 * the same header again: a device polls on one connection, and the SHA-256 of its token was
 * about a fifth of each answer's cost (docs/benchmarks.md). Only successes are kept, for the
 * connection's life (the server's tenants and secrets do not change while it runs; a closed
 * connection's entry goes with it). The header is compared in constant time for its length,
 * so a request from another client on a shared (proxied) connection learns nothing from the
 * answer time; any other header takes the full check.
 *
 * @example
 * const proven = createProvenHeaders();
 * proven.set(request.socket, { header, caller, scheme: 'bearer' });
 * proven.get(request.socket, header)?.caller; // the same caller, no hashing
 */
export function createProvenHeaders(): ProvenHeaders {
  const bySocket = new WeakMap<Socket, ProvenHeader>();
  return {
    get(socket, header) {
      const proven = bySocket.get(socket);
      return proven !== undefined && isSameHeader(proven.header, header) ? proven : undefined;
    },
    set: (socket, proven) => void bySocket.set(socket, proven),
  };
}

function isSameHeader(proven: string, given: string): boolean {
  if (proven.length !== given.length) return false;
  let difference = 0;
  for (let i = 0; i < proven.length; i++) difference |= proven.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}
