import type { Command } from 'commander';

import { isIocrelayError } from '../errors/iocrelay-error.js';
import { monthReportData } from '../report/month-report-data.js';
import { printPdf } from '../report/print-pdf.js';
import { renderReportHtml } from '../report/render-report-html.js';
import { refuseExistingTarget, writeReportFile } from '../report/write-report-file.js';
import { EXIT } from './exit-codes.js';
import { openRuntime } from './open-runtime.js';
import { printError } from './print-error.js';

interface ReportFlags {
  readonly config: string;
  readonly tenant: string;
  readonly month: string;
  readonly out?: string;
  readonly pdf?: boolean;
  readonly force?: boolean;
}

/** Bad command lines: exit 2, like a bad flag. */
const USAGE_CODES = new Set([
  'REPORT_TENANT_UNKNOWN',
  'REPORT_MONTH_INVALID',
  'REPORT_TARGET_EXISTS',
]);

/**
 * `iocrelay report`: a tenant's monthly report, HTML by default, PDF with --pdf or an --out
 * ending in .pdf; to --out, else to stdout. An existing --out is replaced only with --force.
 * Exit 0 written, 2 a bad tenant, month or an existing --out, 1 the report failed.
 */
export function registerReportCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('report')
    .description("Write a tenant's monthly report: indicators blocked, changes, devices")
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .requiredOption('--tenant <id>', 'the tenant')
    .requiredOption('--month <YYYY-MM>', 'the month, in UTC')
    .option('--out <file>', 'write here (default: stdout)')
    .option('--pdf', 'print to PDF with headless Chromium')
    .option('--force', 'replace the --out file if it exists')
    .action(async (flags: ReportFlags) => {
      const { config, log, store } = await openRuntime({ ...flags, logLevel: 'warn' });
      try {
        if (flags.out !== undefined) refuseExistingTarget(flags.out, flags.force === true);
        const report = await monthReportData(store, config, flags.tenant, flags.month, Date.now());
        const html = renderReportHtml(report);
        const isPdf = flags.pdf === true || (flags.out?.toLowerCase().endsWith('.pdf') ?? false);
        const bytes = isPdf ? await printPdf(html) : Buffer.from(html);

        if (flags.out === undefined) process.stdout.write(bytes);
        else writeReportFile(flags.out, bytes, flags.force === true);
        setExitCode(EXIT.OK);
      } catch (error) {
        if (!isIocrelayError(error) || !error.code.startsWith('REPORT_')) throw error;
        printError(error, process.stderr);
        setExitCode(USAGE_CODES.has(error.code) ? EXIT.USAGE : EXIT.FAILED);
      } finally {
        await store.close();
        log.flush();
      }
    });
}
