// Prints the closing line CI reads, `N passed, N failed, N skipped`, from vitest's JSON report.
// A static check that failed before the tests (format, lint, types) is counted as a failure.
import { readFileSync } from 'node:fs';

let report;
try {
  report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const passed = report.numPassedTests ?? 0;
const staticFailures = Number(process.argv[3] ?? 0);
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) + staticFailures;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
