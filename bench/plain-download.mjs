// The reference: download the restSearch pages iocrelay asks for, with the same page size and
// body, and throw the bytes away. Prints one JSON line with the figures. Plain JavaScript, so
// no loader adds to the figures.
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
  for await (const chunk of response.body) bytes += chunk.length;
  pages += 1;
  // iocrelay's own rule: a page is the last when MISP's X-Result-Count says the database page
  // was short.
  if (Number(response.headers['x-result-count'] ?? 0) < pageSize * page) break;
}

const wallMs = performance.now() - startedAt;
process.stdout.write(
  `${JSON.stringify({ wallMs, pages, bytes, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
