import { IocrelayError } from '../errors/iocrelay-error.js';
import { findChromium } from './find-chromium.js';

/**
 * Prints a self-contained HTML document to an A4 PDF with headless Chromium (the system's,
 * never a downloaded one). The page loads nothing from the network: the report has no
 * external resource. Throws REPORT_CHROMIUM_MISSING or REPORT_PDF_FAILED.
 *
 * @example
 * writeFileSync('acme-2026-11.pdf', await printPdf(renderReportHtml(report)));
 */
export async function printPdf(
  html: string,
  executablePath: string | null = findChromium(),
): Promise<Buffer> {
  if (executablePath === null) throw new IocrelayError('REPORT_CHROMIUM_MISSING');

  let browser;
  try {
    // Loaded here, not at start-up: playwright-core alone adds about 90 MB to every command.
    const { chromium } = await import('playwright-core');
    // --no-sandbox: CI containers and systemd units often run as root, where the sandbox
    // refuses to start; the page is our own HTML with no script.
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  } catch (error) {
    throw new IocrelayError('REPORT_PDF_FAILED', { chromium: executablePath }, { cause: error });
  }

  try {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } catch (error) {
    throw new IocrelayError('REPORT_PDF_FAILED', { chromium: executablePath }, { cause: error });
  } finally {
    await browser.close();
  }
}
