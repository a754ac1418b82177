// The reference: download the same restSearch pages iocrelay asks for, with the same page
// size and body, and throw the bytes away. Prints one JSON line with the figures.
import { request } from 'undici';

const [url = '', apiKey = '', pageSizeText = '5000'] = process.argv.slice(2);
const pageSize = Number(pageSizeText);
const startedAt = performance.now();
let pages = 0;
let bytes = 0;

for (let page = 1; ; page++) {
  const response = await request(`${url}/attributes/restSearch`, {
    method: 'POST',
    headers: {
      authorization: apiKey,
      accept: 'application/json',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      returnFormat: 'json',
      type: ['ip-dst'],
      to_ids: true,
      published: true,
      includeContext: true,
      order: 'Attribute.id ASC',
      limit: pageSize,
      page,
    }),
  });
  const body = await response.body.text();
  pages += 1;
  bytes += Buffer.byteLength(body);
  const count = Number(response.headers['x-result-count'] ?? 0);
  if (count < pageSize * page) break;
}

const wallMs = performance.now() - startedAt;
process.stdout.write(
  `${JSON.stringify({ wallMs, pages, bytes, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
