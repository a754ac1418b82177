import type { PullProgress } from '../sources/source.js';

/**
 * A one-line progress display for long pulls, redrawn in place. Only on a terminal: when
 * stderr is a file or a pipe (cron, systemd) it prints nothing, so logs stay clean.
 *
 * @example
 * const progress = createProgressLine(process.stderr);
 * progress.update('misp', { pages: 3, attributes: 15000 });
 * progress.done();
 */
export function createProgressLine(out: NodeJS.WriteStream) {
  const isActive = out.isTTY === true;
  let isDrawn = false;
  let lastDrawAt = 0;

  return {
    update(source: string, progress: PullProgress): void {
      const now = Date.now();
      if (!isActive || now - lastDrawAt < 100) return;
      lastDrawAt = now;
      isDrawn = true;
      out.write(
        `\r\x1b[Kpulling ${source}: ${progress.pages} pages, ${progress.attributes.toLocaleString('en-US')} attributes`,
      );
    },

    done(): void {
      if (isDrawn) out.write('\r\x1b[K');
      isDrawn = false;
    },
  };
}
