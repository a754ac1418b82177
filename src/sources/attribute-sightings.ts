import { isJsonObject, readTimestamp } from './misp-wire-values.js';

/** What an attribute's sightings and decay score say, as a blocklist needs it. */
export interface AttributeActivity {
  /** Newest sighting (type 0), Unix seconds; null when none was sent. */
  readonly lastSighting: number | null;
  /** Newest expiration sighting (type 2), Unix seconds; null when none was sent. */
  readonly expirationSighting: number | null;
  /** A decaying model says the attribute has decayed; null when no score was sent. */
  readonly decayed: boolean | null;
}

// MISP sighting types: 0 seen, 1 false positive, 2 expiration.
const SEEN = '0';
const EXPIRATION = '2';

/**
 * Reads `Sighting` (sent with `includeSightings`) and `decay_score` (with
 * `includeDecayScore`) of one attribute. Malformed entries are skipped, not fatal: they only
 * refine expiry, and the pull must not fail on a field it did not ask for.
 *
 * @example
 * readActivity({ Sighting: [{ type: '0', date_sighting: '1714521600' }] }, 'Attribute[0]');
 * // { lastSighting: 1714521600, expirationSighting: null, decayed: null }
 */
export function readActivity(
  raw: Readonly<Record<string, unknown>>,
  path: string,
): AttributeActivity {
  let lastSighting: number | null = null;
  let expirationSighting: number | null = null;
  if (Array.isArray(raw.Sighting)) {
    raw.Sighting.forEach((sighting: unknown, index) => {
      if (!isJsonObject(sighting)) return;
      const at = safeTimestamp(sighting.date_sighting, `${path}.Sighting[${index}].date_sighting`);
      if (at === null) return;
      const raw = sighting.type ?? SEEN;
      const type = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : null;
      if (type === SEEN) lastSighting = Math.max(lastSighting ?? 0, at);
      if (type === EXPIRATION) expirationSighting = Math.max(expirationSighting ?? 0, at);
    });
  }

  let decayed: boolean | null = null;
  if (Array.isArray(raw.decay_score) && raw.decay_score.length > 0) {
    decayed = raw.decay_score.some(
      (score: unknown) => isJsonObject(score) && score.decayed === true,
    );
  }
  return { lastSighting, expirationSighting, decayed };
}

function safeTimestamp(value: unknown, path: string): number | null {
  try {
    return readTimestamp(value, path);
  } catch {
    return null;
  }
}
