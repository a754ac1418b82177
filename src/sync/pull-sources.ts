import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { IocrelayError, isIocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import type { RejectReason } from '../normalize/indicator.js';
import { normalizeAttribute } from '../normalize/normalize-attribute.js';
import type { SourceAttribute } from '../sources/source-attribute.js';
import type { PullProgress, Source } from '../sources/source.js';
import type { Ingest } from '../store/ingest.js';
import type { Store } from '../store/store.js';
import type { SourceReport } from './sync-report.js';

const YIELD_EVERY = 1000;

export interface PullOptions {
  readonly store: Store;
  readonly ingest: Ingest;
  readonly sources: readonly Source[];
  readonly log: Logger;
  readonly now: number;
  /** Seconds between two full pulls of a source that supports incremental ones. */
  readonly fullSyncIntervalS: number;
  /** Seconds an incremental pull reaches back before the cursor. */
  readonly overlapS: number;
  readonly isFullForced: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (source: string, progress: PullProgress) => void;
}

export interface PullOutcome {
  readonly reports: readonly SourceReport[];
  readonly rejected: Partial<Record<RejectReason, number>>;
  /** Set when a source failed: the caller must roll the ingest back and publish nothing. */
  readonly failure?: { readonly source: string; readonly error: unknown };
}

/**
 * Pulls every source into one ingest transaction, normalizing each attribute on the way.
 * Rejected values are counted per reason and never stored. The first failing source stops the
 * pull: fail-safe, the caller rolls everything back, so no list is built from half a source.
 *
 * @example
 * const outcome = await pullSources({ store, ingest, sources, log, now: Date.now(), … });
 */
export async function pullSources(options: PullOptions): Promise<PullOutcome> {
  const reports: SourceReport[] = [];
  const rejected: Partial<Record<RejectReason, number>> = {};

  for (const source of options.sources) {
    const startedAt = Date.now();
    const state = await options.store.getSourceState(source.id);
    const mode = source.supportsIncremental ? chooseMode(state, options) : 'full';
    const since =
      mode === 'incremental' && state?.cursor != null
        ? Math.max(0, state.cursor - options.overlapS)
        : undefined;
    const log = options.log.child({ source: source.id });
    const counts = { pages: 0, attributes: 0, indicators: 0, rejected: 0 };
    // A full pull rebuilds the cursor from what it sees; an incremental one moves it forward.
    let cursor = mode === 'full' ? null : (state?.cursor ?? null);
    // A timestamp from the future (a MISP or sender clock ahead of ours) must not become the
    // cursor, or every later incremental pull would skip what changes until that time.
    const latest = Math.floor(options.now / 1000);

    log.info({ mode, since: since ?? null }, 'source pull started');
    try {
      const pull = source.pull({
        mode,
        ...(since === undefined ? {} : { since }),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => options.onProgress?.(source.id, progress),
      });

      for await (const batch of pull) {
        // A source may read ahead or parse without looking at the signal: a stop is seen
        // here between pages, so a run still pulling is aborted whatever the source.
        options.signal?.throwIfAborted();
        counts.pages += 1;
        for (let index = 0; index < batch.length; index++) {
          // Let the socket of the prefetched page drain now and then, so the source keeps
          // downloading while this page is stored.
          if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();

          const attribute = batch[index] as SourceAttribute;
          counts.attributes += 1;
          const seen = Math.min(attribute.timestamp, latest);
          if (cursor === null || seen > cursor) cursor = seen;

          const result = normalizeAttribute(attribute.type, attribute.value);
          if (!result.ok) {
            counts.rejected += 1;
            rejected[result.reason] = (rejected[result.reason] ?? 0) + 1;
            log.debug(
              { uuid: attribute.uuid, type: attribute.type, reason: result.reason },
              'value rejected',
            );
            // A rejected value is not stored, but an attribute edited from a good value to a
            // bad one must stop listing the old one: the store retires it on an empty add.
            options.ingest.add(source.id, attribute, []);
            continue;
          }
          options.ingest.add(source.id, attribute, result.indicators);
          counts.indicators += result.indicators.length;
        }
      }
      await options.ingest.finishSource(source.id, { mode, cursor });
    } catch (caught) {
      // A stop shows as the source's abort error, or ours: it is named as a stop, not a fault.
      const error =
        options.signal?.aborted === true && !isIocrelayError(caught)
          ? new IocrelayError('SYNC_STOPPED', { source: source.id }, { cause: caught })
          : caught;
      const errorCode = isIocrelayError(error) ? error.code : 'INTERNAL';
      reports.push({
        source: source.id,
        mode,
        status: 'failed',
        ...counts,
        durationMs: Date.now() - startedAt,
        errorCode,
      });
      return { reports, rejected, failure: { source: source.id, error } };
    }

    const report: SourceReport = {
      source: source.id,
      mode,
      status: 'ok',
      ...counts,
      durationMs: Date.now() - startedAt,
    };
    log.info({ ...counts, mode, durationMs: report.durationMs }, 'source pull finished');
    reports.push(report);
  }

  return { reports, rejected };
}

function chooseMode(
  state: { readonly cursor: number | null; readonly lastFullAt: number | null } | null,
  options: PullOptions,
): 'full' | 'incremental' {
  if (options.isFullForced || !state || state.cursor === null || state.lastFullAt === null)
    return 'full';
  return options.now - state.lastFullAt >= options.fullSyncIntervalS * 1000
    ? 'full'
    : 'incremental';
}
