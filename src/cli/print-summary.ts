import type { SyncReport } from '../sync/sync-report.js';

/**
 * The end-of-run summary on stdout: each source, each list with its entry count, status and
 * path, then rejected values by reason. Plain aligned text, no colour, so it reads the same
 * in a terminal and in a cron mail.
 *
 * @example
 * printSummary(report, process.stdout);
 */
export function printSummary(report: SyncReport, out: NodeJS.WritableStream): void {
  out.write(
    `sync run ${report.runId}: ${report.status} in ${(report.durationMs / 1000).toFixed(1)} s\n\n`,
  );

  out.write(
    table(
      ['source', 'mode', 'status', 'attributes', 'indicators', 'rejected'],
      report.sources.map((s) => [
        s.source,
        s.mode,
        s.errorCode ?? s.status,
        n(s.attributes),
        n(s.indicators),
        n(s.rejected),
      ]),
    ),
  );

  if (report.error) {
    out.write(
      `\nnothing published: ${report.error.source ?? 'a source'} failed with ${report.error.code}\n`,
    );
    out.write(`${report.error.message}\n`);
    return;
  }

  out.write('\n');
  out.write(
    table(
      ['tenant', 'list', 'holds', 'entries', 'added', 'removed', 'status', 'file'],
      report.lists.map((l) => [
        l.tenant,
        l.list,
        l.kinds.join(','),
        n(l.entries),
        n(l.added),
        n(l.removed),
        l.errorCode ?? l.status,
        l.location ??
          (l.status === 'held'
            ? `held back (was ${n(l.previousEntries ?? 0)}; --force publishes)`
            : '-'),
      ]),
    ),
  );

  const reasons = Object.entries(report.rejected);
  if (reasons.length > 0) {
    out.write(
      `\nrejected values: ${reasons.map(([reason, count]) => `${reason} ${n(count)}`).join(', ')}\n`,
    );
  }
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `${cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return [header, ...rows].map(line).join('');
}
