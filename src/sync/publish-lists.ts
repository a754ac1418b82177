import { createHash } from 'node:crypto';
import { isIocrelayError } from '../errors/iocrelay-error.js';
import type { Logger } from '../log/logger.js';
import { SAFETY_RULES } from '../policy/list-policy.js';
import { checkShrink } from '../publish/shrink-guard.js';
import type { Publisher } from '../publish/publisher.js';
import { renderList } from '../render/render-list.js';
import { rendererOf } from '../render/renderers.js';
import type { Store } from '../store/store.js';
import type { BuiltList } from './build-lists.js';
import type { ListReport } from './sync-report.js';

export interface PublishListsOptions {
  readonly store: Store;
  readonly publisher: Publisher;
  readonly lists: readonly BuiltList[];
  readonly runId: number;
  readonly maxShrink: number;
  readonly isForced: boolean;
  readonly log: Logger;
  readonly now: number;
}

/**
 * Renders, guards and publishes each list, and records each publication. One list's failure
 * is reported and does not stop the others: each target is independent, and a list that was
 * not written keeps its last good version.
 *
 * @example
 * const reports = await publishLists({ store, publisher, lists, runId, … });
 */
export async function publishLists(options: PublishListsOptions): Promise<ListReport[]> {
  const reports: ListReport[] = [];
  for (const built of options.lists) reports.push(await publishOne(built, options));
  return reports;
}

async function publishOne(built: BuiltList, options: PublishListsOptions): Promise<ListReport> {
  const tenant = built.tenant.id;
  const list = built.list.file;
  const log = options.log.child({ tenant, list });
  const renderer = rendererOf(built.list.format);

  // Entries are counted in the file, as the device and `X-Entry-Count` see them: a format may
  // write one list entry as two lines, two as one, or leave one out.
  const listed = built.entries.length;
  const rendered = renderList(renderer, built.entries, { tenant, list, generatedAt: options.now });
  built.entries.release();
  const entries = rendered.entries;
  if (Object.keys(rendered.leftOut).length > 0) {
    log.warn({ leftOut: rendered.leftOut }, 'entries the format cannot carry left out');
  }

  const previous = await options.store.lastPublication(tenant, list);
  const onTarget =
    previous === null ? await entriesOnTarget(options.publisher, built, rendered.content) : null;
  const previousEntries = previous?.entries ?? onTarget?.entries ?? null;
  const { removedByRule, split } = built;
  const base = {
    tenant,
    list,
    kinds: built.list.types,
    entries,
    previousEntries,
    removedByRule,
    split,
  };
  const overCapacity = removedByRule.capacity ?? 0;
  if (overCapacity > 0) {
    log.warn(
      { entries: listed, leftOut: overCapacity, maxEntries: built.list.max_entries },
      'list over capacity: entries left out by priority',
    );
  }

  const content = rendered.content;
  const sha256 = createHash('sha256').update(content).digest('hex');
  const record = {
    runId: options.runId,
    tenant,
    list,
    now: options.now,
    entries,
    sha256,
    bytes: content.length,
  };

  // Entries removed by a safety rule (TLP, owner, allowlist, warninglist…) must leave the
  // devices now: they do not count towards the shrink guard, which is there to catch a
  // source that lost data, not a deliberate removal.
  let safetyRemovals = 0;
  for (const reason of built.removalReasons.values()) {
    if (SAFETY_RULES.has(reason.rule)) safetyRemovals++;
  }
  const removedEntries =
    previous === null
      ? (onTarget?.removed ?? 0)
      : previous.sha256 === sha256
        ? 0
        : (await options.store.countRemoved(tenant, list, built.indicatorIds)) - safetyRemovals;
  // Indicators against indicators: an aggregated or split list has fewer or more lines than
  // indicators. Without a record, lines of the file on the target against lines.
  const previousCount = previous === null ? (onTarget?.entries ?? null) : built.previousIndicators;
  const verdict = checkShrink(previousCount, removedEntries, options.maxShrink, options.isForced);
  if (verdict.isHeld) {
    log.warn(
      { entries, previousEntries, shrink: verdict.shrink },
      'list held back: it would shrink too much',
    );
    await options.store.recordPublication({ ...record, status: 'held', indicatorIds: [] });
    return { ...base, status: 'held', added: 0, removed: 0, location: null };
  }

  try {
    const outcome = await options.publisher.publish({
      tenant,
      file: list,
      content,
      contentType: renderer.contentType,
      sha256,
      entries,
      runId: options.runId,
    });

    // The store's own record decides whether the list changed, not the target: a target that
    // already held these bytes (restored from a backup, say) must still be recorded as carrying
    // them, or first-publication times and explain would miss them.
    const { added, removed } = await options.store.recordPublication({
      ...record,
      status: previous?.sha256 === sha256 ? 'unchanged' : 'published',
      indicatorIds: built.indicatorIds,
      removalReasons: built.removalReasons,
    });
    log.info(
      { entries, added, removed, status: outcome.status, location: outcome.location },
      'list published',
    );
    return { ...base, status: outcome.status, added, removed, location: outcome.location };
  } catch (error) {
    const errorCode = isIocrelayError(error) ? error.code : 'INTERNAL';
    const errorReason = isIocrelayError(error)
      ? String(error.details['reason'] ?? '')
      : String(error);
    // Some targets took the list (the folder and the feed server while S3 is down): devices
    // can fetch it now, so it is recorded as published, or delivery tracking and explain
    // would date it by the run that finally reaches every target.
    const isDelivered =
      isIocrelayError(error, 'PUBLISH_TARGET_FAILED') && Number(error.details['delivered']) > 0;
    const recorded = isDelivered
      ? await options.store.recordPublication({
          ...record,
          status: previous?.sha256 === sha256 ? 'unchanged' : 'published',
          indicatorIds: built.indicatorIds,
          removalReasons: built.removalReasons,
        })
      : { added: 0, removed: 0 };
    const location = isDelivered ? String(error.details['written']) : null;
    log.error(
      { err: error, errorCode, location },
      isDelivered ? 'list published to some targets only' : 'list not published',
    );
    return {
      ...base,
      status: 'failed',
      ...recorded,
      location,
      errorCode,
      errorReason,
    };
  }
}

// With no publication on record (a new or lost database), the list already on the target is
// what devices block today: the shrink guard compares against it, so an empty or swapped source
// can never replace a list just because the history is gone.
// Both files are read by the format's rules: a list entry's value is not always its line
// (PAN-OS drops a URL's scheme).
async function entriesOnTarget(
  publisher: Publisher,
  built: BuiltList,
  content: Buffer,
): Promise<{ entries: number; removed: number } | null> {
  const existing = await publisher.read(built.tenant.id, built.list.file);
  if (existing === null) return null;

  const renderer = rendererOf(built.list.format);
  const next = new Set(renderer.entriesOf(content.toString('utf8')));
  const current = renderer.entriesOf(existing.toString('utf8'));
  return { entries: current.length, removed: current.filter((value) => !next.has(value)).length };
}
