// Runs `iocrelay sync` from the built CLI (dist/) in this process, as a user would run it, and
// prints its wall time and peak RSS as one JSON line on fd 3. Plain JavaScript, so no loader
// adds to the figures.
import { writeSync } from 'node:fs';
import { main } from '../dist/cli/main.js';

const config = process.argv[2] ?? '';
const startedAt = performance.now();
const exitCode = await main([
  'node',
  'iocrelay',
  'sync',
  '--config',
  config,
  '--log-level',
  process.env['BENCH_LOG_LEVEL'] ?? 'warn',
]);
const wallMs = performance.now() - startedAt;
writeSync(3, `${JSON.stringify({ wallMs, exitCode, maxRssKb: process.resourceUsage().maxRSS })}\n`);
