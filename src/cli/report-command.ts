import { writeFileSync } from 'node:fs';

import type { Command } from 'commander';

import { isIocrelayError } from '../errors/iocrelay-error.js';
import { monthReportData } from '../report/month-report-data.js';
import { printPdf } from '../report/print-pdf.js';
import { renderReportHtml } from '../report/render-report-html.js';
import { EXIT } from './exit-codes.js';
import { openRuntime } from './open-runtime.js';
import { printError } from './print-error.js';

interface ReportFlags {
  readonly config: string;
  readonly tenant: string;
  readonly month: string;
  readonly out?: string;
  readonly pdf?: boolean;
}

/**
 * `iocrelay report`: a tenant's monthly report, HTML by default, PDF with --pdf or an --out
 * ending in .pdf; to --out, else to stdout.
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
    .action(async (flags: ReportFlags) => {
      const { config, log, store } = await openRuntime({ ...flags, logLevel: 'warn' });
      try {
        const report = await monthReportData(store, config, flags.tenant, flags.month, Date.now());
        const html = renderReportHtml(report);
        const isPdf = flags.pdf === true || (flags.out?.toLowerCase().endsWith('.pdf') ?? false);
        const bytes = isPdf ? await printPdf(html) : Buffer.from(html);

        if (flags.out === undefined) process.stdout.write(bytes);
        else writeFileSync(flags.out, bytes);
        setExitCode(EXIT.OK);
      } catch (error) {
        // A wrong tenant or month is a bad command line: exit 2, like a bad flag.
        if (
          !isIocrelayError(error, 'REPORT_TENANT_UNKNOWN') &&
          !isIocrelayError(error, 'REPORT_MONTH_INVALID')
        ) {
          throw error;
        }
        printError(error, process.stderr);
        setExitCode(EXIT.USAGE);
      } finally {
        await store.close();
        log.flush();
      }
    });
}
