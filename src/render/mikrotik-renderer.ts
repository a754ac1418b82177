import { deviceName } from './device-name.js';
import type { EntryProvenance, ListEntry, RenderContext, Renderer } from './renderer.js';
import type { ListEntries } from './list-entries.js';

// RouterOS takes long address-list names; 60 keeps them readable in Winbox columns.
const NAME_MAX = 60;

/** Event info beyond this many characters is cut (ending in `...`) to keep comments short. */
export const MIKROTIK_INFO_MAX = 100;

const STAGING_SUFFIX = '_new';

/**
 * A RouterOS script (`/import file-name=FILE`) that replaces one address list per family
 * (`/ip firewall address-list` and `/ipv6 firewall address-list`). It fills a staging list
 * `<list>_new` first (removing what a failed import left there), then removes the live list's
 * entries and moves the staging entries into it with one `set`. Adding is the slow part on a
 * router (thousands of entries take seconds), so the list is without entries only between two
 * commands instead of during the whole load. Adding straight into the live list with a marker
 * comment was not chosen: RouterOS refuses an address already in the list ("already have such
 * entry"), which stops the import at the first entry the old and new lists share.
 *
 * Each entry with provenance carries `comment="<event uuid> <event info>"`, escaped per the
 * RouterOS scripting manual: `\"`, `\\`, `\$` (variable), `\?` (help), and `\XX` hex bytes
 * (capital letters) for control and non-ASCII characters, as RouterOS's own export writes them.
 *
 * @example
 * mikrotikRenderer.render([{ kind: 'ip', value: '192.0.2.1' }], { tenant: 'acme', list: 'ip.txt', generatedAt: 0 });
 * // '…/ip firewall address-list\nremove [find where list="iocrelay_acme_ip_txt_new"]\nadd list="iocrelay_acme_ip_txt_new" address=192.0.2.1\n…'
 */
export const mikrotikRenderer: Renderer = {
  format: 'mikrotik',
  contentType: 'text/plain; charset=utf-8',
  kinds: ['ip'],
  isOneToOne: true,
  // Each entry's comment names its MISP event.
  needsProvenance: true,

  render(entries: ListEntries, context: RenderContext): string {
    const ipv4: ListEntry[] = [];
    const ipv6: ListEntry[] = [];
    for (const entry of entries) {
      if (entry.kind !== 'ip') continue;
      // Canonical IPv4 never holds a colon and canonical IPv6 always does.
      (entry.value.includes(':') ? ipv6 : ipv4).push(entry);
    }
    const list = mikrotikListName(context);

    const lines = [
      `# iocrelay ${context.tenant}/${context.list}: ${ipv4.length} IPv4, ${ipv6.length} IPv6`,
      '# import with `/import file-name=FILE`; replaces both address lists',
      ...replaceBlock('/ip firewall address-list', list, ipv4),
      ...replaceBlock('/ipv6 firewall address-list', list, ipv6),
      '',
    ];
    return lines.join('\n');
  },

  entriesOf(content: string): string[] {
    const values: string[] = [];
    for (const line of content.split('\n')) {
      const match = /^add list="[^"]*" address=(\S+)/.exec(line);
      if (match?.[1] !== undefined) values.push(match[1]);
    }
    return values;
  },
};

/**
 * The address-list name of a list, the same in `/ip` and `/ipv6`.
 *
 * @example
 * mikrotikListName({ tenant: 'acme', list: 'ip.txt', generatedAt: 0 }); // 'iocrelay_acme_ip_txt'
 */
export function mikrotikListName(context: RenderContext): string {
  return deviceName(context, NAME_MAX);
}

/**
 * A string as a RouterOS script literal body (without the quotes).
 *
 * @example
 * escapeRouterOs('costs $5? "yes"'); // 'costs \\$5\\? \\"yes\\"'
 */
export function escapeRouterOs(text: string): string {
  let out = '';
  for (const char of text) {
    if (char === '"' || char === '\\' || char === '$' || char === '?') {
      out += `\\${char}`;
    } else if (char >= ' ' && char <= '~') {
      out += char;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) {
        out += `\\${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
    }
  }
  return out;
}

function replaceBlock(menu: string, list: string, entries: ListEntries): string[] {
  const staging = `${list}${STAGING_SUFFIX}`;

  const lines = [menu, `remove [find where list="${staging}"]`];
  for (const entry of entries) {
    const provenance = entry.provenance;
    const comment = provenance === undefined ? '' : ` comment="${provenanceComment(provenance)}"`;
    lines.push(`add list="${staging}" address=${entry.value}${comment}`);
  }
  lines.push(`remove [find where list="${list}"]`);

  // An empty family has nothing staged to move; the remove above already emptied its list.
  if (entries.length > 0) lines.push(`set [find where list="${staging}"] list="${list}"`);
  return lines;
}

function provenanceComment(provenance: EntryProvenance): string {
  const chars = [...provenance.eventInfo];
  const info =
    chars.length > MIKROTIK_INFO_MAX
      ? `${chars.slice(0, MIKROTIK_INFO_MAX - 3).join('')}...`
      : provenance.eventInfo;
  return escapeRouterOs(`${provenance.eventUuid} ${info}`);
}
