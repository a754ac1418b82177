import { ERROR_CATALOGUE, type ErrorCode } from '../errors/error-catalogue.js';
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
    for (const [key, value] of Object.entries(report.error.details ?? {})) {
      out.write(`  ${key}: ${value}\n`);
    }
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
        l.errorCode ? `${l.errorCode}${l.errorReason ? ` (${l.errorReason})` : ''}` : l.status,
        l.location ??
          (l.status === 'held'
            ? `held back (was ${n(l.previousEntries ?? 0)}; --force publishes)`
            : '-'),
      ]),
    ),
  );

  const keptOff = report.lists.filter(
    (l) => Object.keys(l.removedByRule).length > 0 || l.split > 0,
  );
  if (keptOff.length > 0) out.write('\nkept off by policy:\n');
  for (const l of keptOff) {
    const rules = Object.entries(l.removedByRule).map(([rule, count]) => `${rule} ${n(count)}`);
    if (l.split > 0) rules.push(`split around allowlist ${n(l.split)}`);
    out.write(`  ${l.tenant}/${l.list}: ${rules.join(', ')}\n`);
  }

  const failed = report.lists.find((l) => l.errorCode !== undefined);
  if (failed?.errorCode !== undefined) {
    const catalogued = failed.errorCode in ERROR_CATALOGUE;
    out.write(
      `\nnot published: ${catalogued ? ERROR_CATALOGUE[failed.errorCode as ErrorCode].message : failed.errorCode}\n`,
    );
  }

  if (report.strayLists.length > 0) {
    out.write(
      `\nstray lists, no longer configured and no longer updated: ${report.strayLists.join(', ')}\n`,
    );
  }

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
