import { formatDuration } from '../cli/format-duration.js';
import { isIocrelayError } from '../errors/iocrelay-error.js';
import { explainValue, type Explanation, type ListExplanation } from '../explain/explain-value.js';
import { mostRestrictiveTlp } from '../policy/tlp.js';
import type { StoredAttribute } from '../store/indicator-lookup.js';
import { html, type SafeHtml } from './html.js';
import { isoTime, layout, notice } from './layout.js';
import type { PageHandler, UiContext } from './ui-context.js';

// Longer input is not an indicator anyone types; it is refused before normalizing.
const MAX_QUERY_LENGTH = 2048;

/**
 * `/ui/search?q=VALUE`: what `iocrelay explain` shows for an IP, CIDR, domain, URL or hash
 * (defanged forms accepted): its attributes and MISP events (linked to MISP), and for each
 * tenant list whether it carries the value, the rule that kept it off, and its time to block.
 *
 * @example
 * registerPage(scope, '/search', context, sessions, searchPage);
 */
export const searchPage: PageHandler = async (context, { session, query }) => {
  const text = (query['q'] ?? '').trim();
  let result: SafeHtml | null = null;
  if (text.length > MAX_QUERY_LENGTH) {
    result = notice('error', `The value is longer than ${MAX_QUERY_LENGTH} characters.`);
  } else if (text !== '') {
    try {
      const explanation = await explainValue(await context.explain.context(), text);
      result = explanationHtml(context, explanation);
    } catch (error) {
      if (!isIocrelayError(error, 'VALUE_INVALID')) throw error;
      result = notice('error', `${error.code}: ${error.message}`);
    }
  }

  const body = html`<form method="get" action="/ui/search" class="form-row" id="search-form">
      <div>
        <label for="q"
          >IP, CIDR, domain, URL or hash (defanged forms such as hxxp and [.] are accepted)</label
        >
        <input id="q" name="q" type="search" value="${text}" autofocus />
      </div>
      <div><button type="submit">Search</button></div>
    </form>
    ${result}`;
  return layout({
    title: 'Search',
    assets: context.assets,
    active: 'search',
    admin: session,
    body,
  });
};

function explanationHtml(context: UiContext, explanation: Explanation): SafeHtml {
  const { indicator, record } = explanation;
  const listed = explanation.lists.filter((list) => list.isListed).length;
  return html`<section
    id="explanation"
    data-kind="${indicator.kind}"
    data-value="${indicator.value}"
  >
    <h2><code>${indicator.value}</code> <span class="muted">(${indicator.kind})</span></h2>
    ${
      record === null
        ? html`<p class="warn">Not in the store: no source has given this value.</p>`
        : html`<p>
              First stored ${isoTime(record.firstStoredAt)}. On ${listed} of
              ${explanation.lists.length} lists.
            </p>
            <h2>Attributes and MISP events</h2>
            <table id="attributes">
              <thead>
                <tr>
                  <th>source</th>
                  <th>type</th>
                  <th>value as sent</th>
                  <th>state</th>
                  <th>TLP</th>
                  <th>event</th>
                  <th>org</th>
                  <th>tags</th>
                </tr>
              </thead>
              <tbody>
                ${record.attributes.map((a) => attributeRow(context, a))}
              </tbody>
            </table>`
    }
    <h2>Lists</h2>
    <table id="lists">
      <thead>
        <tr>
          <th>list</th>
          <th>listed</th>
          <th>why not / since</th>
          <th>time to block</th>
        </tr>
      </thead>
      <tbody>
        ${explanation.lists.map(listRow)}
      </tbody>
    </table>
  </section>`;
}

function attributeRow(context: UiContext, a: StoredAttribute): SafeHtml {
  const state = [
    a.isPresent ? null : 'gone',
    a.deleted ? 'deleted' : null,
    a.toIds ? 'to_ids' : 'no to_ids',
  ]
    .filter((part) => part !== null)
    .join(', ');
  const tags = [...a.tags, ...a.event.tags];
  const event = html`${a.event.info}
    <span class="muted mono"
      >${a.event.mispId === null ? a.event.uuid : `#${a.event.mispId}`}</span
    >`;
  return html`<tr>
    <td>${a.source}</td>
    <td>${a.type}</td>
    <td><code>${a.rawValue}</code></td>
    <td>${state}</td>
    <td>${mostRestrictiveTlp(a.tlp, a.event.tlp) ?? 'none'}</td>
    <td>
      ${context.mispUrl === null ? event : html`<a class="misp-event" href="${context.mispUrl}/events/view/${encodeURIComponent(a.event.uuid)}" rel="noopener noreferrer" target="_blank">${event}</a>`}
    </td>
    <td>${a.event.orgName ?? '–'}</td>
    <td>${tags.map((tag) => html`<code class="tag">${tag}</code> `)}</td>
  </tr>`;
}

function listRow(list: ListExplanation): SafeHtml {
  const devices = list.delivery?.devices ?? [];
  return html`<tr
    data-list="${list.tenant}/${list.list}"
    data-listed="${list.isListed ? 'yes' : 'no'}"
  >
    <td>${list.tenant}/${list.list}</td>
    <td class="${list.isListed ? 'good' : 'muted'}">${list.isListed ? 'listed' : 'not listed'}</td>
    <td>
      ${list.isListed ? html`since ${isoTime(list.firstPublishedAt)}` : list.reason}${list.coveredBy.length === 0 ? null : html`<br /><span class="warn">blocked all the same: inside ${list.coveredBy.join(', ')}</span>`}
    </td>
    <td>
      ${
        list.delivery === null
          ? '–'
          : html`published
            ${isoTime(list.delivery.firstPublishedAt)}${list.delivery.publishDelayMs === null ? null : html` (${formatDuration(list.delivery.publishDelayMs)} after MISP)`}
            ${devices.length === 0 ? html`<br /><span class="muted">no device has fetched the list since</span>` : null}
            ${devices.map((d) => html`<br />${d.device} at ${d.clientIp} (${d.userAgent ?? 'no user agent'}): ${d.timeToBlockMs === null ? 'not fetched yet' : html`time to block ${formatDuration(d.timeToBlockMs)}`}`)}`
      }
    </td>
  </tr>`;
}
