import { accessSync, constants } from 'node:fs';

/** Where Debian, Ubuntu, Fedora and Alpine put a headless-capable Chromium. */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/**
 * The Chromium executable that prints reports (and drives the dashboard tests): the
 * `IOCRELAY_CHROMIUM` environment variable when set, else the first executable of the usual
 * install paths; null when there is none. iocrelay never downloads a browser.
 *
 * @example
 * findChromium(); // '/usr/bin/chromium'
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env['IOCRELAY_CHROMIUM'];
  if (chosen !== undefined && chosen !== '') return isExecutable(chosen) ? chosen : null;
  return CANDIDATES.find(isExecutable) ?? null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
