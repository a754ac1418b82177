/** Options of createSyncScheduler. */
export interface SyncSchedulerOptions {
  /** Seconds between the end of one run and the start of the next. */
  readonly intervalS: number;
  /** Up to this share of the interval is added at random to each wait (default 0.1). */
  readonly jitter?: number;
  /** One run; the scheduler never starts one before the last has settled. */
  readonly run: (signal: AbortSignal) => Promise<void>;
  /** Called when `run` rejects; the schedule goes on. */
  readonly onError: (error: unknown) => void;
  /** Random number in [0, 1), for tests. */
  readonly random?: () => number;
}

/** A running schedule. */
export interface SyncScheduler {
  /**
   * Stops the schedule: no further run starts, the run in progress gets an aborted signal
   * (its pull stops; a publication already under way completes) and the promise settles
   * once it has finished.
   */
  stop(): Promise<void>;
  /** Whether a run is in progress. */
  readonly isRunning: boolean;
  /**
   * Starts a run now unless one is in progress, and resolves once the run (this one or the
   * one in progress) has settled; the next waits a full interval after it. Does nothing
   * once stopped.
   */
  runNow(): Promise<void>;
}

/**
 * Runs `run` at once, then again `intervalS` (plus jitter) after each run ends, one at a
 * time: a run that takes longer than the interval delays the next instead of overlapping it.
 * The jitter keeps several iocrelay instances, or many tenants' MISP queries started by cron
 * at the same minute, from hitting MISP together.
 *
 * @example
 * const scheduler = createSyncScheduler({ intervalS: 300, run: (signal) => syncOnce(signal), onError });
 * process.once('SIGTERM', () => void scheduler.stop());
 */
export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const random = options.random ?? Math.random;
  const jitter = options.jitter ?? 0.1;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | null = null;

  const tick = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (controller.signal.aborted || current !== null) return;
    current = options
      .run(controller.signal)
      .catch(options.onError)
      .finally(() => {
        current = null;
        if (controller.signal.aborted) return;
        const waitMs = options.intervalS * 1000 * (1 + jitter * random());
        timer = setTimeout(tick, waitMs);
      });
  };
  tick();

  return {
    get isRunning() {
      return current !== null;
    },
    async runNow() {
      tick();
      await current;
    },
    async stop() {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
