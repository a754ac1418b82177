import type { AllowlistView } from '../policy/manage-allowlist.js';
import type { AuditRecord } from '../store/allow-entries.js';

/**
 * The allowlist for a person: grouped by scope (every tenant, then each tenant), one entry a
 * line with where it comes from and, for a runtime entry, its id, author, time and reason.
 *
 * @example
 * formatAllowlist(views);
 * // every tenant:
 * //   192.0.2.10 (ip)  config allow.0
 * //   198.51.100.23 (ip)  #12 by alice at 2026-12-04T16:00:00.000Z: bank portal, INC-42
 */
export function formatAllowlist(views: readonly AllowlistView[]): string {
  if (views.length === 0) return 'no allowlist entries\n';

  const lines: string[] = [];
  let scope: string | undefined;
  for (const view of views) {
    const heading = view.tenant === null ? 'every tenant' : `tenant ${view.tenant}`;
    if (heading !== scope) {
      const unknown = view.origin === 'store' && !view.isTenantKnown;
      lines.push(`${heading}${unknown ? ' (not in the configuration: applies to nothing)' : ''}:`);
      scope = heading;
    }
    const what = `  ${view.value} (${view.kind})`;
    lines.push(
      view.origin === 'config'
        ? `${what}  config ${view.path}`
        : `${what}  #${view.id} by ${view.addedBy} at ${iso(view.addedAt)}: ${view.reason}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The audit log for a person, newest first, one change a line.
 *
 * @example
 * formatAuditLog(records);
 * // 2026-12-04T16:00:00.000Z  alice  add #12  198.51.100.23 (ip) for every tenant: bank portal
 */
export function formatAuditLog(records: readonly AuditRecord[]): string {
  if (records.length === 0) return 'no allowlist changes recorded\n';

  const lines = records.map((record) => {
    const scope = record.tenant === null ? 'every tenant' : `tenant ${record.tenant}`;
    const what = `${record.action} #${record.entryId}  ${record.value} (${record.kind}) for ${scope}`;
    return `${iso(record.at)}  ${record.actor}  ${what}: ${record.reason}`;
  });
  return `${lines.join('\n')}\n`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
