import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSignedCert {
  readonly keyFile: string;
  readonly certFile: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * A fresh self-signed certificate made with `openssl req -x509` in `dir`, valid one day, for
 * the given subjectAltName (`IP:127.0.0.1` by default). The certificate is its own CA, so
 * passing `certFile` as a CA file makes it trusted.
 *
 * @example
 * const cert = createSelfSignedCert(tmpDir);
 */
export function createSelfSignedCert(
  dir: string,
  altName = 'IP:127.0.0.1',
  name = 'misp',
): SelfSignedCert {
  const keyFile = join(dir, `${name}-key.pem`);
  const certFile = join(dir, `${name}-cert.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=iocrelay test',
      '-addext',
      `subjectAltName=${altName}`,
    ],
    { stdio: 'ignore' },
  );
  return {
    keyFile,
    certFile,
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
  };
}
