import { pino, type DestinationStream } from 'pino';

/** A log destination that gathers lines and can be emptied at once. */
export interface BatchedDestination extends DestinationStream {
  /** Writes every gathered line now. */
  flushSync(): void;
  /** The same, for pino's `logger.flush()`; the callback runs once the lines are written. */
  flush(done?: (error?: Error) => void): void;
}

// A batch is written early once it is this large, so a long synchronous stretch of work does
// not hold more than this many bytes of lines.
const MAX_BATCH_CHARS = 64 * 1024;

/**
 * Gathers the lines written in one event-loop turn and hands them to `target` as one write at
 * the end of that turn (or earlier, at 64 KiB). Under load, a feed server answering many
 * requests per turn then makes one write for all their log lines instead of one each: on the
 * bench machine the write system call was most of a log line's cost (docs/benchmarks.md).
 * A line reaches `target` at the latest when the turn that logged it ends, or at exit.
 *
 * @example
 * const destination = createBatchedDestination(pino.destination({ dest: 2, sync: true }));
 * createLogger({ destination });
 */
export function createBatchedDestination(target: DestinationStream): BatchedDestination {
  let pending = '';
  let isScheduled = false;

  const flushSync = (): void => {
    isScheduled = false;
    if (pending.length === 0) return;
    const batch = pending;
    pending = '';
    target.write(batch);
  };

  return {
    write(line: string): void {
      pending += line;
      if (pending.length >= MAX_BATCH_CHARS) flushSync();
      else if (!isScheduled) {
        isScheduled = true;
        setImmediate(flushSync);
      }
    },
    flushSync,
    flush(done) {
      flushSync();
      done?.();
    },
  };
}

let stderr: BatchedDestination | undefined;

/**
 * The process's one stderr log destination: lines batched per event-loop turn, each batch
 * written synchronously (pino's sonic-boom, which retries a full pipe), the rest written when
 * the process exits, an uncaught exception included. Only a killed process (SIGKILL, out of
 * memory) can lose lines: those of its last turn.
 *
 * @example
 * createLogger({ destination: stderrDestination() });
 */
export function stderrDestination(): BatchedDestination {
  if (stderr !== undefined) return stderr;
  const destination = createBatchedDestination(pino.destination({ dest: 2, sync: true }));
  process.on('exit', () => destination.flushSync());
  stderr = destination;
  return destination;
}
