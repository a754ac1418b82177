/**
 * Exit codes of every command, documented in README.md. Cron and systemd act on them.
 */
export const EXIT = {
  /** Everything done; every list is current. */
  OK: 0,
  /** A source failed (nothing published) or a list could not be written. */
  FAILED: 1,
  /** Bad configuration or command line: nothing was run. */
  USAGE: 2,
  /** Run done, but a list was held back by the shrink guard; look at it, or use --force. */
  HELD: 3,
  /** Stopped by SIGINT or SIGTERM; what was published before is complete. */
  INTERRUPTED: 130,
} as const;
