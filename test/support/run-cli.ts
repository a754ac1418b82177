// Runs the iocrelay CLI from source in this process, for tests that spawn it as a user would
// (real exit code, real stdout and stderr): `node --import tsx test/support/run-cli.ts sync …`.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(['node', 'iocrelay', ...process.argv.slice(2)]);
