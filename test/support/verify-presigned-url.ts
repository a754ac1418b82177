import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type PresignedUrlVerdict = 'valid' | 'SignatureDoesNotMatch' | 'Expired' | 'Malformed';

/**
 * Checks a SigV4 query-string signature (a presigned URL) as S3 does, written from the AWS
 * "Signature Version 4: authenticating requests using query parameters" page and independent
 * of the SDK that signed it: s3rver does not check V4 signatures at all, so without this a
 * tampered URL would be served.
 *
 * @example
 * verifyPresignedUrl({ method: 'GET', url: req.url, host: req.headers.host, secret });
 */
export function verifyPresignedUrl(request: {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly secret: string;
  readonly now?: number;
}): PresignedUrlVerdict {
  const [path = '/', rawQuery = ''] = request.url.split('?', 2);
  const params = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const at = pair.indexOf('=');
      const decode = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));
      return at < 0 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
    });
  const get = (name: string) => params.find(([key]) => key === name)?.[1];

  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const expires = Number(get('X-Amz-Expires'));
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate ?? '');
  if (
    algorithm !== 'AWS4-HMAC-SHA256' ||
    credential === undefined ||
    signedHeaders === undefined ||
    signature === undefined ||
    dateMatch === null ||
    !Number.isInteger(expires)
  )
    return 'Malformed';

  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = dateMatch
    .slice(1)
    .map(Number);
  const signedAt = Date.UTC(year, month - 1, day, hour, minute, second);
  if ((request.now ?? Date.now()) > signedAt + expires * 1000) return 'Expired';

  const scope = credential.slice(credential.indexOf('/') + 1);
  const [scopeDate = '', region = '', service = ''] = scope.split('/');
  const canonicalQuery = params
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const headerNames = signedHeaders.split(';');
  const canonicalHeaders = headerNames
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');

  let key: Buffer = hmac(`AWS4${request.secret}`, scopeDate);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? 'valid'
    : 'SignatureDoesNotMatch';
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

// RFC 3986 unreserved characters stay; everything else is %XX, as SigV4 requires.
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
