import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real MISP data for acceptance tests, read in place and never copied into the repo, plus a
 * small reimplementation of the canonical forms for the common cases. It shares no code with
 * src/normalize on purpose: a test that reused the normalizer could not catch its mistakes.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `../shared/data/misp` relative to the repo root. */
export const REAL_MISP_DIR = join(REPO_ROOT, '..', 'shared', 'data', 'misp');

/** The MISP attribute types iocrelay documents as giving indicators (docs/architecture.md). */
export const SUPPORTED_TYPES: readonly string[] = [
  'ip-src',
  'ip-dst',
  'ip-src|port',
  'ip-dst|port',
  'domain',
  'hostname',
  'domain|ip',
  'hostname|port',
  'url',
  'md5',
  'sha1',
  'sha256',
  'filename|md5',
  'filename|sha1',
  'filename|sha256',
];

export const LIST_KINDS = ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

type JsonRecord = Record<string, unknown>;

/** One attribute as the event file holds it, with what a list decision needs. */
export interface RealAttribute {
  /** The attribute object exactly as in the file. */
  readonly raw: JsonRecord;
  readonly type: string;
  readonly value: string;
  readonly isToIds: boolean;
  /** Deleted itself, or its object is (MISP hides both). */
  readonly isDeleted: boolean;
  /** Set when the attribute sits in a MISP object. */
  readonly object: JsonRecord | null;
  readonly tags: readonly string[];
  readonly eventTags: readonly string[];
}

/** One event file: the event's own fields (no Attribute, no Object) and every attribute. */
export interface RealEvent {
  readonly file: string;
  readonly event: JsonRecord;
  readonly attributes: readonly RealAttribute[];
}

/**
 * Reads a MISP event document, wrapped (`{"Event": {…}}`) or bare; null when the JSON is not
 * an event (no uuid, or neither Attribute nor Object).
 *
 * @example
 * const event = readEventFile(join(REAL_MISP_DIR, 'events/misp-repo/tests/event.json'));
 */
export function readEventFile(file: string): RealEvent | null {
  const document: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const raw = isRecord(document) && isRecord(document.Event) ? document.Event : document;
  if (!isRecord(raw) || typeof raw.uuid !== 'string') return null;
  if (!Array.isArray(raw.Attribute) && !Array.isArray(raw.Object)) return null;

  const { Attribute: own, Object: objects, ...event } = raw;
  const eventTags = tagNames(event.Tag);
  const attributes: RealAttribute[] = [];
  const add = (attribute: unknown, object: JsonRecord | null): void => {
    if (!isRecord(attribute)) throw new Error(`${file}: an attribute is not an object`);
    attributes.push({
      raw: attribute,
      type: String(attribute.type),
      value: String(attribute.value),
      isToIds: isTrue(attribute.to_ids),
      isDeleted: isTrue(attribute.deleted) || isTrue(object?.deleted),
      object,
      tags: tagNames(attribute.Tag),
      eventTags,
    });
  };

  for (const attribute of arrayOf(own)) add(attribute, null);
  for (const object of arrayOf(objects)) {
    if (!isRecord(object)) throw new Error(`${file}: an object is not an object`);
    for (const attribute of arrayOf(object.Attribute)) add(attribute, object);
  }
  return { file, event, attributes };
}

/**
 * Every event of a feed folder: each `<uuid>.json` file (the manifest and hashes.csv aside).
 *
 * @example
 * const events = readFeedFolder(join(REAL_MISP_DIR, 'feed-infoblox'));
 */
export function readFeedFolder(folder: string): RealEvent[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json') && name !== 'manifest.json')
    .sort()
    .map((name) => {
      const event = readEventFile(join(folder, name));
      if (event === null) throw new Error(`${folder}/${name} is not a MISP event`);
      return event;
    });
}

/**
 * Every `*.json` file under `folder`, recursively, that is a MISP event; other files
 * (LICENSE, non-event JSON) are left out.
 *
 * @example
 * const events = findEventFiles(join(REAL_MISP_DIR, 'events'));
 */
export function findEventFiles(folder: string): RealEvent[] {
  if (!existsSync(folder)) return [];
  const events: RealEvent[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) events.push(...findEventFiles(path));
    else if (entry.name.endsWith('.json')) {
      const event = readEventFile(path);
      if (event !== null) events.push(event);
    }
  }
  return events.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** A canonical value as the simple rules compute it. */
export interface SimpleIndicator {
  readonly kind: ListKind;
  readonly value: string;
}

const HASH_LENGTHS: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64 };

/**
 * The canonical indicators of a supported attribute by simple rules, or null when the value
 * is beyond them (IDN, IPv6, CIDR, defanged, surrounding space, anything unusual). IPv4 dotted
 * quads stay as they are; hashes are lowercased; names are lowercased without a trailing dot;
 * composite values split on the last `|`; URLs get a lowercase scheme and host, `http://` when
 * they have no scheme, and lose the scheme's default port.
 *
 * @example
 * simpleIndicators('domain|ip', 'Evil.Example.|192.0.2.1');
 * // [{ kind: 'domain', value: 'evil.example' }, { kind: 'ip', value: '192.0.2.1' }]
 */
export function simpleIndicators(type: string, value: string): SimpleIndicator[] | null {
  if (value !== value.trim() || value === '') return null;
  const [left, right] = splitLastBar(value);

  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return one('ip', simpleIpv4(value));
    case 'ip-src|port':
    case 'ip-dst|port':
      return isPort(right) ? one('ip', simpleIpv4(left)) : null;
    case 'domain':
    case 'hostname':
      return one('domain', simpleDomain(value));
    case 'hostname|port':
      return isPort(right) ? one('domain', simpleDomain(left)) : null;
    case 'domain|ip': {
      const domain = simpleDomain(left);
      const ip = simpleIpv4(right);
      return domain === null || ip === null
        ? null
        : [
            { kind: 'domain', value: domain },
            { kind: 'ip', value: ip },
          ];
    }
    case 'url':
      return one('url', simpleUrl(value));
    case 'md5':
    case 'sha1':
    case 'sha256':
      return one(type, simpleHash(type, value));
    case 'filename|md5':
    case 'filename|sha1':
    case 'filename|sha256': {
      const kind = type.slice('filename|'.length) as 'md5' | 'sha1' | 'sha256';
      return left === '' ? null : one(kind, simpleHash(kind, right));
    }
    default:
      throw new Error(`simpleIndicators: ${type} is not a supported type`);
  }
}

function one(kind: ListKind, value: string | null): SimpleIndicator[] | null {
  return value === null ? null : [{ kind, value }];
}

function splitLastBar(value: string): [string, string] {
  const bar = value.lastIndexOf('|');
  return bar < 0 ? [value, ''] : [value.slice(0, bar), value.slice(bar + 1)];
}

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535;
}

function simpleIpv4(text: string): string | null {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1);
  if (octets === undefined) return null;
  const isValid = octets.every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
  return isValid ? text : null;
}

function simpleDomain(text: string): string | null {
  const name = (text.endsWith('.') ? text.slice(0, -1) : text).toLowerCase();
  if (name.length > 253 || !/^[a-z0-9.-]+$/.test(name)) return null;
  const labels = name.split('.');
  const isValid = labels.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
  const last = labels[labels.length - 1] ?? '';
  return isValid && labels.length >= 2 && /[a-z]/.test(last) ? name : null;
}

function simpleHash(kind: string, text: string): string | null {
  const length = HASH_LENGTHS[kind] ?? 0;
  return text.length === length && /^[0-9a-f]+$/i.test(text) ? text.toLowerCase() : null;
}

// Printable ASCII without the characters of defanging ([ ( {), userinfo (@) and backslash.
const PLAIN_URL = /^[\x21-\x7e]+$/;
const NOT_PLAIN = /[[\](){}@\\]/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

function simpleUrl(text: string): string | null {
  if (text.length > 2048 || !PLAIN_URL.test(text) || NOT_PLAIN.test(text)) return null;
  const match = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#]*)(.*)$/.exec(text);
  if (match === null) return null;
  const [, schemeText, authority = '', rest = ''] = match;

  const scheme = (schemeText ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return null;
  const [hostText = '', port, ...more] = authority.split(':');
  if (more.length > 0 || (port !== undefined && !isPort(port))) return null;

  const host = simpleIpv4(hostText) ?? (hostText.endsWith('.') ? null : simpleDomain(hostText));
  if (host === null) return null;
  const kept = port === undefined || port === DEFAULT_PORTS[scheme] ? '' : `:${Number(port)}`;
  return `${scheme}://${host}${kept}${rest}`;
}

/**
 * Whether an attribute is TLP:RED: the most restrictive of its own and its event's TLP tags
 * applies, so a `tlp:red` on either makes it red.
 *
 * @example
 * isTlpRed(['tlp:red'], ['tlp:white']); // true
 * isTlpRed(['tlp:green'], ['tlp:red']); // true
 */
export function isTlpRed(tags: readonly string[], eventTags: readonly string[]): boolean {
  // The stricter of the attribute's and the event's TLP applies.
  return [...tags, ...eventTags].some((tag) => tag.toLowerCase() === 'tlp:red');
}

/**
 * List order of two `ip` lines: IPv4 before IPv6, then by address, then by prefix length (a
 * host counts as /32 or /128).
 *
 * @example
 * ['2001:db8::1', '192.0.2.1'].sort(compareIpLines); // ['192.0.2.1', '2001:db8::1']
 */
export function compareIpLines(a: string, b: string): number {
  const [fa, aa, pa] = ipKey(a);
  const [fb, ab, pb] = ipKey(b);
  if (fa !== fb) return fa - fb;
  if (aa !== ab) return aa < ab ? -1 : 1;
  return pa - pb;
}

function ipKey(line: string): [number, bigint, number] {
  const [address = '', prefix] = line.split('/');
  if (!address.includes(':')) {
    const octets = address.split('.').map(BigInt);
    const value = octets.reduce((sum, octet) => sum * 256n + octet, 0n);
    return [4, value, prefix === undefined ? 32 : Number(prefix)];
  }
  const [head = '', tail] = address.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  const value = groups.reduce((sum, group) => sum * 65536n + BigInt(`0x${group}`), 0n);
  return [6, value, prefix === undefined ? 128 : Number(prefix)];
}

function tagNames(value: unknown): string[] {
  return arrayOf(value).flatMap((tag) =>
    isRecord(tag) && typeof tag.name === 'string' ? [tag.name] : [],
  );
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
