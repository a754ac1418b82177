/**
 * Readers for the values MISP puts on the wire. MISP's JSON is PHP arrays encoded as they come
 * from MySQL, so the same field arrives as `"1"`, `1` or `true` depending on the MISP version,
 * the endpoint and whether the document went through a feed generator. Each reader accepts
 * every form seen in the wild and throws a MispShapeError, naming the path, for anything else.
 */

/** A MISP document part that does not have the shape MISP gives it; `path` says where. */
export class MispShapeError extends Error {
  override readonly name = 'MispShapeError';

  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: expected ${expected}`);
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

export const NO_TAGS: readonly string[] = Object.freeze([]);

const DIGITS = /^\d+$/;
// Unix seconds up to the year 9999: beyond it the value is milliseconds or garbage.
const MAX_TIMESTAMP = 253_402_300_799;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `to_ids`, `deleted`, `published`: booleans in current MISP, `"0"`/`"1"` or 0/1 in older
 * versions and in hand-made feeds. Missing means `fallback`.
 *
 * @example
 * readBoolean('1', 'Attribute[0].to_ids', false); // true
 */
export function readBoolean(value: unknown, path: string, fallback: boolean): boolean {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  if (value === undefined || value === null || value === '') return fallback;
  throw new MispShapeError(path, 'a boolean, 0/1 or "0"/"1"');
}

/**
 * Unix seconds: MISP sends timestamps as digit strings, feed generators sometimes as numbers.
 *
 * @example
 * readTimestamp('1617875568', 'Attribute[0].timestamp'); // 1617875568
 */
export function readTimestamp(value: unknown, path: string): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    if (value <= MAX_TIMESTAMP) return value;
  } else if (typeof value === 'string' && DIGITS.test(value) && value.length <= 12) {
    const seconds = Number(value);
    if (seconds <= MAX_TIMESTAMP) return seconds;
  }
  if (value === undefined || value === null || value === '') return null;
  throw new MispShapeError(path, 'a Unix timestamp');
}

/**
 * `first_seen`/`last_seen` to ISO 8601. MISP stores microseconds since the epoch; the API
 * renders them as ISO strings, older versions and some feeds as the raw digit string.
 * An unreadable date string becomes null: it only narrows a sighting window, so dropping it
 * beats failing the pull.
 *
 * @example
 * readSeen('1581984000000000', 'Attribute[0].first_seen'); // '2020-02-18T00:00:00.000000Z'
 */
export function readSeen(value: unknown, path: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return microsToIso(value);
  }
  if (typeof value === 'string') {
    if (DIGITS.test(value)) return microsToIso(Number(value));
    return ISO_DATE_TIME.test(value) ? value : null;
  }
  throw new MispShapeError(path, 'an ISO 8601 string or microseconds');
}

function microsToIso(micros: number): string | null {
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  const date = new Date(Math.floor(micros / 1000));
  if (Number.isNaN(date.getTime())) return null;
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** Database ids come as strings, sometimes numbers; null when absent. */
export function readId(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (value === undefined || value === null) return null;
  throw new MispShapeError(path, 'an id');
}

/** A string field that must be there (uuid, type, value). */
export function readRequiredString(value: unknown, path: string): string {
  if (typeof value === 'string' && value !== '') return value;
  // A numeric value (an AS number, a port) is still the attribute's value as MISP holds it.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new MispShapeError(path, 'a non-empty string');
}

export function readOptionalString(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return null;
  throw new MispShapeError(path, 'a string');
}

/** `threat_level_id`: `"1"`…`"4"` or 1…4; anything else is unknown. */
export function readThreatLevel(value: unknown): 1 | 2 | 3 | 4 | null {
  const level = typeof value === 'string' ? Number(value) : value;
  return level === 1 || level === 2 || level === 3 || level === 4 ? level : null;
}

/**
 * Tag names of a `Tag` array. MISP omits the array, sends `null` or `[]` when there is none.
 * With `includeEventTags`, restSearch merges the event's tags into each attribute's `Tag`
 * marked `inherited` (MISP app/Lib/Export/JsonExport.php); `skipInherited` drops those, as
 * event tags belong on the event. The nested `{ Tag: { name } }` form is read too. Names are
 * trimmed; a tag without a name is skipped, not fatal.
 *
 * @example
 * readTagNames([{ name: 'tlp:clear' }, { name: 'x', inherited: 1 }], 'Tag', true); // ['tlp:clear']
 */
export function readTagNames(
  value: unknown,
  path: string,
  skipInherited: boolean,
): readonly string[] {
  if (value === undefined || value === null) return NO_TAGS;
  if (!Array.isArray(value)) throw new MispShapeError(path, 'an array of tags');
  if (value.length === 0) return NO_TAGS;

  const names: string[] = [];
  for (const item of value as readonly unknown[]) {
    // MISP's AttributeTag/EventTag form nests the tag: { Tag: { name } }.
    const tag = isJsonObject(item) && isJsonObject(item.Tag) ? item.Tag : item;
    if (!isJsonObject(tag) || typeof tag.name !== 'string') continue;
    if (skipInherited && (tag.inherited === true || tag.inherited === 1 || tag.inherited === '1')) {
      continue;
    }
    // Spaces around a name are a typing slip, not another tag: ' tlp:red' is TLP:RED.
    const name = tag.name.trim();
    if (name !== '') names.push(name);
  }
  return names.length === 0 ? NO_TAGS : names;
}
