// Runs `iocrelay sync` from the built CLI in this process and prints its wall time and peak
// RSS as one JSON line on fd 3, so the figures cover exactly what a user runs.
import { writeSync } from 'node:fs';

// The built CLI, loaded by path so type-checking does not need dist/ to exist.
const cliPath = new URL('../dist/cli/main.js', import.meta.url).href;
const { main } = (await import(cliPath)) as { main: (argv: readonly string[]) => Promise<number> };

const config = process.argv[2] ?? '';
const startedAt = performance.now();
const exitCode = await main([
  'node',
  'iocrelay',
  'sync',
  '--config',
  config,
  '--log-level',
  'warn',
]);
const wallMs = performance.now() - startedAt;
writeSync(3, `${JSON.stringify({ wallMs, exitCode, maxRssKb: process.resourceUsage().maxRSS })}\n`);
