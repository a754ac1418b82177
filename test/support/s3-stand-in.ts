import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Config } from '../../src/config/publish-schema.js';
import { verifyPresignedUrl } from './verify-presigned-url.js';

/** Keys the stand-in accepts. s3rver knows only the key id S3RVER; the secret is ours. */
export const S3_TEST_KEYS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 's3SECRETkey-must-never-be-printed-0123456789',
} as const;

/**
 * A `publish.s3` config for the stand-in's bucket `blocklists`, with the test keys.
 *
 * @example
 * createS3Publisher(s3TestConfig(s3, { prefix: 'feeds/' }));
 */
export function s3TestConfig(standIn: S3StandIn, overrides: Partial<S3Config> = {}): S3Config {
  return {
    bucket: 'blocklists',
    prefix: '',
    region: 'us-east-1',
    endpoint: standIn.endpoint,
    access_key_id: S3_TEST_KEYS.accessKeyId,
    secret_access_key: S3_TEST_KEYS.secretAccessKey,
    public_read: false,
    cache_control: 'no-cache',
    presign_expires: 3600,
    ...overrides,
  };
}

export interface RecordedS3Request {
  readonly method: string;
  /** Path without the query, e.g. `/blocklists/acme/ip.txt`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export interface S3StandIn {
  /** What publish.s3.endpoint points at: the gate in front of s3rver. */
  readonly endpoint: string;
  /** Every request that reached the gate, in order, as it came over the wire. */
  readonly requests: RecordedS3Request[];
  /** Drop the last byte of the next upload's body, as a broken proxy on the path would. */
  corruptNextUpload(): void;
  /** Refuse connections (the listener closes) until resume(), which reopens the same port. */
  stop(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * s3rver on 127.0.0.1 with `buckets`, behind a small HTTP gate that records each request and
 * checks the signature of presigned URLs (s3rver skips SigV4 checks; real S3 refuses a
 * tampered URL with 403 SignatureDoesNotMatch, and so does the gate).
 *
 * @example
 * const s3 = await startS3StandIn(['blocklists']);
 */
export async function startS3StandIn(buckets: readonly string[]): Promise<S3StandIn> {
  const directory = mkdtempSync(join(tmpdir(), 'iocrelay-s3rver-'));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port: s3rverPort } = await s3rver.run();

  const requests: RecordedS3Request[] = [];
  let isCorruptingNext = false;

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: s3rverPort,
        method: req.method,
        path: req.url,
        headers: { ...withoutFraming(req.headers), 'content-length': String(body.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const gate = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gate');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });

    if (url.searchParams.has('X-Amz-Signature')) {
      const verdict = verifyPresignedUrl({
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        secret: S3_TEST_KEYS.secretAccessKey,
      });
      if (verdict !== 'valid') {
        res.writeHead(403, { 'Content-Type': 'application/xml' });
        res.end(`<?xml version="1.0"?><Error><Code>${verdict}</Code></Error>`);
        return;
      }
    }

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.method === 'PUT' && isCorruptingNext && body.length > 0) {
        isCorruptingNext = false;
        body = body.subarray(0, body.length - 1);
      }
      forward(req, res, body);
    });
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  const { port } = gate.address() as AddressInfo;

  const closeGate = async () => {
    gate.closeAllConnections();
    await new Promise<void>((resolve) => gate.close(() => resolve()));
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    corruptNextUpload: () => {
      isCorruptingNext = true;
    },
    stop: closeGate,
    resume: () => new Promise<void>((resolve) => gate.listen(port, '127.0.0.1', resolve)),
    close: async () => {
      if (gate.listening) await closeGate();
      s3rver.httpServer.closeAllConnections();
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

// The body is forwarded whole, so its framing is set anew.
function withoutFraming(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const rest = { ...headers };
  delete rest['transfer-encoding'];
  delete rest['content-length'];
  return rest;
}
