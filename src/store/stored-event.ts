import { isTlp, type Tlp } from '../policy/tlp.js';

/** A MISP event as the store holds it; shared by every attribute of the event. */
export interface StoredEvent {
  readonly source: string;
  readonly uuid: string;
  /** MISP event id; null from feeds. */
  readonly mispId: string | null;
  readonly info: string;
  readonly orgName: string | null;
  /** 1 high, 2 medium, 3 low, 4 undefined. */
  readonly threatLevel: number | null;
  readonly tags: readonly string[];
  /** The event's own TLP tag. */
  readonly tlp: Tlp | null;
  /** Unix seconds. */
  readonly timestamp: number | null;
  readonly published: boolean | null;
}

export const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * A stored tag list (JSON array text) as strings.
 *
 * @example
 * parseTagList('["tlp:green"]'); // ['tlp:green']
 */
export function parseTagList(json: string): readonly string[] {
  if (json === '[]') return NO_TAGS;

  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return NO_TAGS;
  return Object.freeze(parsed.filter((tag): tag is string => typeof tag === 'string'));
}

/**
 * A stored TLP column as a Tlp; anything else reads as none.
 *
 * @example
 * storedTlp('amber'); // 'amber'
 */
export function storedTlp(value: string | null): Tlp | null {
  return value !== null && isTlp(value) ? value : null;
}

/** A stored 0/1/null flag as a boolean or null. */
export function storedFlag(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}
