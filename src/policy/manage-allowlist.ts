import type { LoadedConfig } from '../config/load-config.js';
import { IocrelayError } from '../errors/iocrelay-error.js';
import type { AllowKind, StoredAllowEntry } from '../store/allow-entries.js';
import type { Store } from '../store/store.js';
import { isAllowlistEntry, parseAllowlistEntry } from './allowlist-entry.js';
import { storeEntryPath } from './runtime-allowlist.js';
import { runtimeEntryTooWide } from './runtime-entry-breadth.js';

/** Longest reason accepted: a sentence and a ticket reference, not a report. */
export const MAX_REASON_LENGTH = 500;
/** What an entry id looks like: decimal, no sign, exponent, hex prefix or leading zero. */
const ENTRY_ID = /^[1-9]\d{0,15}$/;
/** Longest actor name accepted (a login, a service account). */
export const MAX_ACTOR_LENGTH = 100;

/**
 * A runtime allowlist change asked for by a person or a tool.
 *
 * @example
 * { tenant: 'acme', value: 'portal[.]acme.example', reason: 'customer portal, INC-42', actor: 'alice' }
 */
export interface AllowChange {
  /** The tenant the entry applies to; null for every tenant. */
  readonly tenant: string | null;
  /** IP, CIDR, domain or URL; defanged forms (`[.]`, `hxxp`) are accepted. */
  readonly value: string;
  readonly reason: string;
  readonly actor: string;
}

/** What every allowlist entry shows, wherever it comes from. */
interface AllowlistViewBase {
  /** The tenant it applies to; null for every tenant. */
  readonly tenant: string | null;
  readonly kind: AllowKind;
  /** Canonical form. */
  readonly value: string;
  /** Where it comes from, as explain and the change log name it. */
  readonly path: string;
}

/** An entry of the configuration file: read-only here, changed by editing the file. */
export interface ConfigAllowlistView extends AllowlistViewBase {
  readonly origin: 'config';
  readonly isRemovable: false;
}

/** An entry added at runtime: removable by its id. */
export interface StoreAllowlistView extends AllowlistViewBase {
  readonly origin: 'store';
  readonly isRemovable: true;
  readonly id: number;
  readonly reason: string;
  readonly addedBy: string;
  /** Unix milliseconds. */
  readonly addedAt: number;
  /** False when its tenant is no longer in the configuration: it applies to nothing. */
  readonly isTenantKnown: boolean;
}

/**
 * One allowlist entry as the dashboard and `iocrelay allow list` show it.
 *
 * @example
 * { origin: 'store', isRemovable: true, id: 12, tenant: 'acme', kind: 'ip',
 *   value: '198.51.100.23', path: 'store allow #12 "bank portal"', reason: 'bank portal',
 *   addedBy: 'alice', addedAt: 1764860000000, isTenantKnown: true }
 */
export type AllowlistView = ConfigAllowlistView | StoreAllowlistView;

/**
 * Adds a runtime allowlist entry, applied by the next sync. The value is read as a configured
 * entry is (refanged, canonical; hashes, wildcards and public suffixes refused). Throws
 * ALLOW_ENTRY_INVALID, ALLOW_ENTRY_TOO_WIDE (wider than an IPv4 /8 or an IPv6 /32),
 * ALLOW_REASON_REQUIRED, ALLOW_REASON_INVALID, ALLOW_ACTOR_REQUIRED, ALLOW_TENANT_UNKNOWN or
 * ALLOW_ENTRY_EXISTS (the same value already allowlisted for that tenant, or for every
 * tenant, by the configuration or the store); nothing is written then.
 *
 * @example
 * const entry = await addAllowlistEntry(store, config, {
 *   tenant: null, value: '198.51.100.23', reason: 'bank portal, INC-42', actor: 'alice',
 * });
 * entry.id; // 12
 */
export async function addAllowlistEntry(
  store: Store,
  config: LoadedConfig,
  change: AllowChange,
): Promise<StoredAllowEntry> {
  const reason = checkReason(change.reason);
  const actor = checkActor(change.actor);
  if (change.tenant !== null && !config.tenants.some((t) => t.id === change.tenant)) {
    throw new IocrelayError('ALLOW_TENANT_UNKNOWN', {
      tenant: change.tenant,
      tenants: config.tenants.map((t) => t.id).join(', '),
    });
  }

  const parsed = parseAllowlistEntry(change.value.trim(), 'value');
  if (!isAllowlistEntry(parsed)) {
    throw new IocrelayError('ALLOW_ENTRY_INVALID', {
      value: change.value,
      problem: parsed.message,
    });
  }
  const width = runtimeEntryTooWide(parsed);
  if (width !== null) {
    throw new IocrelayError('ALLOW_ENTRY_TOO_WIDE', { value: parsed.value, ...width });
  }

  // The same value for every tenant already covers this tenant; a tenant entry next to a
  // global one would only leave a stale duplicate behind when the global one is removed.
  const views = await listAllowlist(store, config);
  const existing = views.find(
    (view) =>
      view.kind === parsed.kind &&
      view.value === parsed.value &&
      (view.tenant === change.tenant || view.tenant === null),
  );
  if (existing !== undefined) {
    throw new IocrelayError('ALLOW_ENTRY_EXISTS', {
      value: parsed.value,
      tenant: existing.tenant ?? 'every tenant',
      existing: existing.path,
    });
  }

  return store.addAllowEntry({
    tenant: change.tenant,
    kind: parsed.kind,
    value: parsed.value,
    reason,
    actor,
    at: Date.now(),
  });
}

/**
 * Removes a runtime allowlist entry by id, given as typed (a CLI argument, a form field); the
 * next sync lists the value again if a source still gives it. Throws ALLOW_ENTRY_ID_INVALID
 * for an id that is not plain decimal digits (`0x5`, `1e0`, `05` would otherwise name another
 * entry), ALLOW_REASON_REQUIRED, ALLOW_REASON_INVALID, ALLOW_ACTOR_REQUIRED, or
 * ALLOW_ENTRY_NOT_FOUND when no active entry has that id (never added, already removed, or a
 * configured entry).
 *
 * @example
 * await removeAllowlistEntry(store, { id: '12', reason: 'INC-42 closed', actor: 'alice' });
 */
export async function removeAllowlistEntry(
  store: Store,
  change: { readonly id: string; readonly reason: string; readonly actor: string },
): Promise<StoredAllowEntry> {
  const id = parseEntryId(change.id);
  const reason = checkReason(change.reason);
  const actor = checkActor(change.actor);

  const removed = await store.removeAllowEntry({ id, reason, actor, at: Date.now() });
  if (removed === null) throw new IocrelayError('ALLOW_ENTRY_NOT_FOUND', { id });
  return removed;
}

/**
 * An entry id as typed, or ALLOW_ENTRY_ID_INVALID: decimal digits only, from 1. Number()
 * would read `0x5` as 5 and `1e0` as 1 and remove an entry nobody named.
 *
 * @example
 * parseEntryId('12'); // 12
 */
export function parseEntryId(text: string): number {
  if (!ENTRY_ID.test(text)) {
    throw new IocrelayError('ALLOW_ENTRY_ID_INVALID', { id: JSON.stringify(text.slice(0, 40)) });
  }
  const id = Number(text);
  if (!Number.isSafeInteger(id)) {
    throw new IocrelayError('ALLOW_ENTRY_ID_INVALID', { id: JSON.stringify(text) });
  }
  return id;
}

/**
 * Every allowlist entry in force: the configuration's (read-only, with their path in the
 * file) then the store's active ones (removable, with id, reason, who and when), the global
 * entries first, then each tenant's in configuration order.
 *
 * @example
 * const views = await listAllowlist(store, config);
 * views.filter((view) => view.origin === 'store' && view.tenant === 'acme');
 */
export async function listAllowlist(store: Store, config: LoadedConfig): Promise<AllowlistView[]> {
  const stored = await store.allowEntries();
  const views: AllowlistView[] = [
    ...configViews(config.allow, 'allow', null),
    ...stored.filter((entry) => entry.tenant === null).map((entry) => storeView(entry, true)),
  ];

  const known = new Set<string>();
  config.tenants.forEach((tenant, index) => {
    known.add(tenant.id);
    views.push(...configViews(tenant.allow, `tenants.${index}.allow`, tenant.id));
    views.push(...stored.filter((e) => e.tenant === tenant.id).map((e) => storeView(e, true)));
  });
  views.push(
    ...stored
      .filter((entry) => entry.tenant !== null && !known.has(entry.tenant))
      .map((entry) => storeView(entry, false)),
  );
  return views;
}

function checkReason(text: string): string {
  const reason = text.trim();
  if (reason === '') throw new IocrelayError('ALLOW_REASON_REQUIRED');
  if (reason.length > MAX_REASON_LENGTH) {
    throw new IocrelayError('ALLOW_REASON_INVALID', {
      problem: 'too long',
      length: reason.length,
      maxLength: MAX_REASON_LENGTH,
    });
  }
  if (hasControlCharacter(reason)) {
    throw new IocrelayError('ALLOW_REASON_INVALID', {
      problem: 'a line break or control character',
      length: reason.length,
    });
  }
  return reason;
}

function checkActor(text: string): string {
  const actor = text.trim();
  if (actor === '' || actor.length > MAX_ACTOR_LENGTH || hasControlCharacter(actor)) {
    throw new IocrelayError('ALLOW_ACTOR_REQUIRED', {
      length: actor.length,
      maxLength: MAX_ACTOR_LENGTH,
    });
  }
  return actor;
}

// A reason lands in explain output, change-log details and one-line log fields: a newline or
// an escape sequence in it would forge or garble lines there.
function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(text);
}

function configViews(
  texts: readonly string[],
  origin: string,
  tenant: string | null,
): ConfigAllowlistView[] {
  return texts.flatMap((text, index) => {
    // The configuration was validated when loaded: every entry parses.
    const parsed = parseAllowlistEntry(text, `${origin}.${index}`);
    if (!isAllowlistEntry(parsed)) return [];
    const { path, kind, value } = parsed;
    return [{ origin: 'config', isRemovable: false, tenant, kind, value, path }];
  });
}

function storeView(entry: StoredAllowEntry, isTenantKnown: boolean): StoreAllowlistView {
  return {
    origin: 'store',
    isRemovable: true,
    id: entry.id,
    tenant: entry.tenant,
    kind: entry.kind,
    value: entry.value,
    path: storeEntryPath(entry),
    reason: entry.reason,
    addedBy: entry.addedBy,
    addedAt: entry.addedAt,
    isTenantKnown,
  };
}
