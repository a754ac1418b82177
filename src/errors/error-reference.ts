import { ERROR_CATALOGUE } from './error-catalogue.js';

/**
 * docs/errors.md, generated from the catalogue so the page and the code cannot drift apart
 * (a test compares them; `npm run docs` rewrites it).
 *
 * @example
 * writeFileSync('docs/errors.md', renderErrorReference());
 */
export function renderErrorReference(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(
    ([code, entry]) => `| \`${code}\` | ${entry.message.replaceAll('|', '\\|')} |`,
  );

  return [
    '# Error codes',
    '',
    'Generated from `src/errors/error-catalogue.ts` by `npm run docs`; do not edit by hand.',
    '',
    'Every error iocrelay reports carries one of these stable codes, in its message on stderr',
    '(`error CODE: …`) and in the JSON log (`errorCode`). Details (paths, URLs, HTTP statuses)',
    'follow the message; secrets never do. Exit codes: 0 done, 1 a source or a list failed,',
    '2 bad configuration or command line, 3 a list was held back by the shrink guard.',
    '',
    '| code | what happened and what to do |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
