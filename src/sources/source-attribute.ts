/**
 * A MISP event as a source describes it, cleaned of MISP's wire quirks (ids and timestamps as
 * strings, missing Tag arrays). Shared by every attribute of the event.
 */
export interface SourceEvent {
  readonly uuid: string;
  /** MISP's numeric event id; null for events read from a feed, which carry none. */
  readonly id: string | null;
  readonly info: string;
  /** Name of the creator organisation (Orgc); null when the source does not say. */
  readonly orgName: string | null;
  /** 1 high, 2 medium, 3 low, 4 undefined; null when the source does not say. */
  readonly threatLevel: 1 | 2 | 3 | 4 | null;
  readonly tags: readonly string[];
  /** Unix seconds; null when unknown. */
  readonly timestamp: number | null;
  readonly published: boolean | null;
}

/** A MISP attribute, one per attribute of the source, objects' attributes included. */
export interface SourceAttribute {
  readonly uuid: string;
  /** MISP's numeric attribute id; null in feeds. */
  readonly id: string | null;
  /** MISP attribute type, such as `ip-dst|port`. */
  readonly type: string;
  readonly category: string | null;
  /** The value as MISP holds it, not yet normalized. */
  readonly value: string;
  readonly toIds: boolean;
  /** Soft-deleted in MISP. */
  readonly deleted: boolean;
  /** MISP attribute timestamp, Unix seconds. */
  readonly timestamp: number;
  /** ISO 8601, or null. */
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly comment: string;
  /** Attribute tags only; event tags are on `event`. */
  readonly tags: readonly string[];
  /** Set when the attribute belongs to a MISP object. */
  readonly objectUuid: string | null;
  readonly objectName: string | null;
  /** Newest sighting, Unix seconds (with `misp.sightings`); absent or null when unknown. */
  readonly lastSighting?: number | null;
  /** Newest expiration sighting (MISP sighting type 2), Unix seconds. */
  readonly expirationSighting?: number | null;
  /** MISP's decaying models say it decayed (with `misp.decay_score`). */
  readonly decayed?: boolean | null;
  readonly event: SourceEvent;
}
