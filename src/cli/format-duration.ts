const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration for people, in its two largest units: `850ms`, `42s`, `4m12s`, `2h05m`, `3d04h`.
 * Rounded down; a negative duration (clocks apart) keeps its sign.
 *
 * @example
 * formatDuration(252_000); // '4m12s'
 */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < SECOND) return `${Math.floor(ms)}ms`;
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m${pad((ms % MINUTE) / SECOND)}s`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h${pad((ms % HOUR) / MINUTE)}m`;
  return `${Math.floor(ms / DAY)}d${pad((ms % DAY) / HOUR)}h`;
}

function pad(value: number): string {
  return String(Math.floor(value)).padStart(2, '0');
}
