import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from '../src/config/config-reference.js';
import { ERROR_CATALOGUE } from '../src/errors/error-catalogue.js';
import { renderErrorReference } from '../src/errors/error-reference.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('generated docs are current (run `npm run docs` after changing the schema or the catalogue)', () => {
  it('docs/configuration.md matches the config schema', () => {
    expect(read('docs/configuration.md')).toBe(renderConfigReference());
  });

  it('docs/errors.md matches the error catalogue, one row per code', () => {
    const page = read('docs/errors.md');
    expect(page).toBe(renderErrorReference());

    const documented = [...page.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual(Object.keys(ERROR_CATALOGUE));
  });
});
