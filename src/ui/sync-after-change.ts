import type { UiContext } from './ui-context.js';

/**
 * Starts a sync after an allowlist change, without waiting for it: the page answers at once
 * and the next publication applies the change. A run already under way compiled its policy
 * before the change, so when the run that syncNow waited for started before the change,
 * one more run follows.
 *
 * @example
 * syncAfterChange(context, Date.now());
 */
export function syncAfterChange(context: UiContext, changedAt: number): void {
  const { serve, store, log } = context;
  const run = async (): Promise<void> => {
    await serve.syncNow();
    const [last] = await store.recentRuns(1);
    if (last !== undefined && last.startedAt < changedAt) await serve.syncNow();
  };
  run().catch((error: unknown) =>
    log.error({ err: error }, 'sync after an allowlist change failed'),
  );
}
