import { ERROR_CATALOGUE, type ErrorCode } from '../errors/error-catalogue.js';
import { isIocrelayError } from '../errors/iocrelay-error.js';
import {
  addAllowlistEntry,
  listAllowlist,
  MAX_REASON_LENGTH,
  removeAllowlistEntry,
  type AllowlistView,
} from '../policy/manage-allowlist.js';
import type { AuditRecord } from '../store/allow-entries.js';
import { html, type SafeHtml } from './html.js';
import { isoTime, layout, notice } from './layout.js';
import { retryWhileBusy } from './retry-while-busy.js';
import { syncAfterChange } from './sync-after-change.js';
import { positiveInt, uiHref, type ActionHandler, type PageHandler } from './ui-context.js';

const AUDIT_PAGE = 25;

// The only codes a redirect may name: the page shows their catalogue message, never text
// taken from the URL.
const ALLOW_ERRORS: readonly ErrorCode[] = [
  'ALLOW_ENTRY_INVALID',
  'ALLOW_ENTRY_TOO_WIDE',
  'ALLOW_REASON_REQUIRED',
  'ALLOW_REASON_INVALID',
  'ALLOW_ACTOR_REQUIRED',
  'ALLOW_TENANT_UNKNOWN',
  'ALLOW_ENTRY_EXISTS',
  'ALLOW_ENTRY_NOT_FOUND',
  'ALLOW_ENTRY_ID_INVALID',
  // The sync holds the write lock while it pulls; the change was retried in vain.
  'STORE_BUSY',
];

/**
 * `/ui/allowlists`: every allowlist entry in force (configuration and runtime), a form to add
 * one, a remove button with a reason on each runtime entry, and the audit log (paged).
 *
 * @example
 * registerPage(scope, '/allowlists', context, sessions, allowlistsPage);
 */
export const allowlistsPage: PageHandler = async (context, { session, query }) => {
  const { config } = context.serve;
  const views = await listAllowlist(context.store, config);
  const auditBefore = positiveInt(query['auditBefore']);
  const audit = await context.store.auditLog({
    limit: AUDIT_PAGE,
    ...(auditBefore === undefined ? {} : { beforeId: auditBefore }),
  });
  const older = audit.length === AUDIT_PAGE ? audit.at(-1)?.id : undefined;
  const csrf = session.csrfToken;

  const body = html`${statusNotice(query)}
    <h2>Add an entry</h2>
    <form method="post" action="/ui/allowlists/add" class="form-row" id="add-entry">
      <input type="hidden" name="csrf" value="${csrf}" />
      <div>
        <label for="tenant">For</label
        ><select id="tenant" name="tenant">
          <option value="">every tenant</option>
          ${config.tenants.map((t) => html`<option value="${t.id}">${t.id}</option>`)}
        </select>
      </div>
      <div>
        <label for="value">IP, CIDR, domain or URL prefix</label
        ><input id="value" name="value" type="text" required size="40" />
      </div>
      <div>
        <label for="reason">Reason (required: ticket, owner)</label
        ><input
          id="reason"
          name="reason"
          type="text"
          required
          maxlength="${MAX_REASON_LENGTH}"
          size="40"
        />
      </div>
      <div><button type="submit">Add</button></div>
    </form>
    <p class="muted">
      A change is applied by a sync that starts at once; the lists change when it publishes.
    </p>
    <h2>Entries in force</h2>
    <table id="entries">
      <thead>
        <tr>
          <th>for</th>
          <th>kind</th>
          <th>value</th>
          <th>from</th>
          <th>reason</th>
          <th>added</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${
          views.length === 0
            ? html`<tr>
                <td colspan="7" class="muted">no allowlist entry</td>
              </tr>`
            : null
        }
        ${views.map((view) => entryRow(view, csrf))}
      </tbody>
    </table>
    <h2>Audit log</h2>
    ${auditTable(audit)}
    <p class="pager">
      ${auditBefore === undefined ? null : html`<a href="/ui/allowlists">newest</a> `}${older === undefined ? null : html`<a href="${uiHref('/ui/allowlists', { auditBefore: older })}">older changes</a>`}
    </p>`;

  return layout({
    title: 'Allowlists',
    assets: context.assets,
    active: 'allowlists',
    admin: session,
    body,
  });
};

const addEntry: ActionHandler = async (context, { session, form }) => {
  const tenant = form['tenant'] === undefined || form['tenant'] === '' ? null : form['tenant'];
  try {
    const entry = await retryWhileBusy(
      () =>
        addAllowlistEntry(context.store, context.serve.config, {
          tenant,
          value: form['value'] ?? '',
          reason: form['reason'] ?? '',
          actor: session.username,
        }),
      context.busyRetry,
    );
    context.log.info(
      { actor: session.username, entryId: entry.id, tenant, kind: entry.kind, value: entry.value },
      'allowlist entry added from the dashboard',
    );
    applied(context);
    return uiHref('/ui/allowlists', { added: entry.id });
  } catch (error) {
    return failed(error);
  }
};

const removeEntry: ActionHandler = async (context, { session, form }) => {
  try {
    const entry = await retryWhileBusy(
      () =>
        removeAllowlistEntry(context.store, {
          id: form['id'] ?? '',
          reason: form['reason'] ?? '',
          actor: session.username,
        }),
      context.busyRetry,
    );
    context.log.info(
      { actor: session.username, entryId: entry.id, tenant: entry.tenant, value: entry.value },
      'allowlist entry removed from the dashboard',
    );
    applied(context);
    return uiHref('/ui/allowlists', { removed: entry.id });
  } catch (error) {
    return failed(error);
  }
};

/** The allowlist page's form actions, by path under /ui. */
export const allowlistActions: readonly (readonly [string, ActionHandler])[] = [
  ['/allowlists/add', addEntry],
  ['/allowlists/remove', removeEntry],
];

function applied(context: Parameters<ActionHandler>[0]): void {
  context.explain.forget();
  syncAfterChange(context, Date.now());
}

function failed(error: unknown): string {
  if (isIocrelayError(error) && ALLOW_ERRORS.includes(error.code)) {
    return uiHref('/ui/allowlists', { error: error.code });
  }
  throw error;
}

function statusNotice(query: Readonly<Record<string, string | undefined>>): SafeHtml | null {
  const code = ALLOW_ERRORS.find((known) => known === query['error']);
  if (code !== undefined) return notice('error', `${code}: ${ERROR_CATALOGUE[code].message}`);
  if (query['added'] !== undefined)
    return notice(
      'ok',
      `Entry #${positiveInt(query['added']) ?? '?'} added; a sync is publishing the lists.`,
    );
  if (query['removed'] !== undefined)
    return notice(
      'ok',
      `Entry #${positiveInt(query['removed']) ?? '?'} removed; a sync is publishing the lists.`,
    );
  return null;
}

function entryRow(view: AllowlistView, csrf: string): SafeHtml {
  const tenant = view.tenant ?? 'every tenant';
  if (view.origin === 'config') {
    return html`<tr>
      <td>${tenant}</td>
      <td>${view.kind}</td>
      <td><code>${view.value}</code></td>
      <td>configuration <code>${view.path}</code></td>
      <td class="muted">–</td>
      <td class="muted">–</td>
      <td class="muted">edit the file</td>
    </tr>`;
  }
  return html`<tr data-entry="${view.id}">
    <td>
      ${tenant}${view.isTenantKnown ? null : html` <span class="warn">(tenant no longer configured)</span>`}
    </td>
    <td>${view.kind}</td>
    <td><code>${view.value}</code></td>
    <td>#${view.id}</td>
    <td>${view.reason}</td>
    <td>${view.addedBy}, ${isoTime(view.addedAt)}</td>
    <td>
      <form method="post" action="/ui/allowlists/remove" class="inline">
        <input type="hidden" name="csrf" value="${csrf}" /><input
          type="hidden"
          name="id"
          value="${view.id}"
        /><input
          type="text"
          name="reason"
          required
          placeholder="reason for removal"
          maxlength="${MAX_REASON_LENGTH}"
        />
        <button class="danger" type="submit">Remove</button>
      </form>
    </td>
  </tr>`;
}

function auditTable(records: readonly AuditRecord[]): SafeHtml {
  if (records.length === 0) return html`<p class="muted" id="audit">No change yet.</p>`;
  return html`<table id="audit">
    <thead>
      <tr>
        <th>when</th>
        <th>who</th>
        <th>what</th>
        <th>for</th>
        <th>value</th>
        <th>why</th>
      </tr>
    </thead>
    <tbody>
      ${records.map(
        (r) =>
          html`<tr data-audit="${r.id}">
            <td>${isoTime(r.at)}</td>
            <td>${r.actor}</td>
            <td class="${r.action === 'add' ? 'good' : 'bad'}">${r.action} #${r.entryId}</td>
            <td>${r.tenant ?? 'every tenant'}</td>
            <td><code>${r.value}</code></td>
            <td>${r.reason}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
