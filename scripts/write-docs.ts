import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../src/config/config-reference.js';
import { renderErrorReference } from '../src/errors/error-reference.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigReference());
writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorReference());
process.stdout.write('docs/configuration.md and docs/errors.md written\n');
