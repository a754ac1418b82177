import {
  isJsonObject,
  MispShapeError,
  readBoolean,
  readId,
  readOptionalString,
  readRequiredString,
  readSeen,
  readTagNames,
  readThreatLevel,
  readTimestamp,
  type JsonObject,
} from './misp-wire-values.js';
import type { SourceAttribute, SourceEvent } from './source-attribute.js';
import { readActivity } from './attribute-sightings.js';

/** The MISP object an attribute belongs to, as far as the document tells. */
export interface ObjectRef {
  readonly uuid: string | null;
  readonly name: string | null;
  readonly isDeleted: boolean;
}

/** Where the event's uuid and id come from when the event part of a document lacks them. */
export interface EventFallback {
  readonly uuid?: unknown;
  readonly id?: unknown;
}

export interface ParsedFeedEvent {
  readonly event: SourceEvent;
  readonly attributes: readonly SourceAttribute[];
}

/**
 * A MISP event (a feed event, or the `Event` part of a restSearch attribute) to a SourceEvent.
 * Only `uuid` is required; a field MISP left out becomes null.
 *
 * @example
 * parseEvent({ uuid: 'c0dec2fd-…', info: 'OSINT', threat_level_id: '2', Tag: [] }, 'Event');
 */
export function parseEvent(
  raw: JsonObject,
  path: string,
  fallback: EventFallback = {},
): SourceEvent {
  const orgc = raw.Orgc;
  return {
    uuid: readRequiredString(raw.uuid ?? fallback.uuid, `${path}.uuid`),
    id: readId(raw.id ?? fallback.id, `${path}.id`),
    info: readOptionalString(raw.info, `${path}.info`) ?? '',
    orgName: isJsonObject(orgc) && typeof orgc.name === 'string' ? orgc.name : null,
    threatLevel: readThreatLevel(raw.threat_level_id),
    tags: readTagNames(raw.Tag, `${path}.Tag`, false),
    timestamp: readTimestamp(raw.timestamp, `${path}.timestamp`),
    published:
      raw.published === undefined ? null : readBoolean(raw.published, `${path}.published`, false),
  };
}

/**
 * One MISP attribute to a SourceAttribute bound to its (shared) event. A missing `to_ids` or
 * `deleted` reads as false; a missing timestamp (hand-made feeds) takes the event's.
 * restSearch tells an object attribute only by `object_id` and `Object.id`, not the object's
 * uuid or name, so those stay null unless the document carries them.
 *
 * @example
 * parseAttribute({ uuid: 'u', type: 'ip-dst', value: '192.0.2.1', to_ids: true,
 *   timestamp: '1700000000' }, 'Attribute[0]', event, null);
 */
export function parseAttribute(
  raw: unknown,
  path: string,
  event: SourceEvent,
  object: ObjectRef | null,
): SourceAttribute {
  if (!isJsonObject(raw)) throw new MispShapeError(path, 'an attribute object');

  const restObject = object === null && isJsonObject(raw.Object) ? raw.Object : null;
  const isDeleted = readBoolean(raw.deleted, `${path}.deleted`, false);
  return {
    uuid: readRequiredString(raw.uuid, `${path}.uuid`),
    id: readId(raw.id, `${path}.id`),
    type: readRequiredString(raw.type, `${path}.type`),
    category: readOptionalString(raw.category, `${path}.category`),
    value: readRequiredString(raw.value, `${path}.value`),
    toIds: readBoolean(raw.to_ids, `${path}.to_ids`, false),
    // A deleted object takes its attributes with it, as MISP hides them too.
    deleted: isDeleted || (object?.isDeleted ?? false),
    timestamp: readTimestamp(raw.timestamp, `${path}.timestamp`) ?? event.timestamp ?? 0,
    firstSeen: readSeen(raw.first_seen, `${path}.first_seen`),
    lastSeen: readSeen(raw.last_seen, `${path}.last_seen`),
    comment: readOptionalString(raw.comment, `${path}.comment`) ?? '',
    tags: readTagNames(raw.Tag, `${path}.Tag`, true),
    objectUuid: object?.uuid ?? stringOrNull(restObject?.uuid),
    objectName: object?.name ?? stringOrNull(restObject?.name),
    ...readActivity(raw, path),
    event,
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * A feed event file (`{"Event": {…}}` or the bare event) to its event and every attribute,
 * the event's own and its objects'. Feeds carry no database ids, so ids are null. `summary`
 * is the event's manifest entry: it fills event fields the file leaves out.
 *
 * @example
 * parseFeedEvent(JSON.parse(text), '5f1c…', manifest['5f1c…'] ?? null);
 */
export function parseFeedEvent(
  document: unknown,
  uuid: string,
  summary: JsonObject | null,
): ParsedFeedEvent {
  const raw = isJsonObject(document) && isJsonObject(document.Event) ? document.Event : document;
  if (!isJsonObject(raw)) throw new MispShapeError('Event', 'an event object');
  // MISP's feed generator writes the event's own uuid in every file. Requiring it to match the
  // manifest key tells an event from any other JSON object (an error page, `{}`), which would
  // otherwise read as an event with no attributes and silently empty part of the lists.
  if (raw.uuid !== uuid)
    throw new MispShapeError('Event.uuid', `the uuid the manifest names (${uuid})`);

  const merged = summary === null ? raw : { ...summary, ...raw };
  const event: SourceEvent = { ...parseEvent(merged, 'Event', { uuid }), id: null };
  const attributes: SourceAttribute[] = [];

  for (const [index, attribute] of readArray(raw.Attribute, 'Event.Attribute').entries()) {
    attributes.push(withoutId(parseAttribute(attribute, `Event.Attribute[${index}]`, event, null)));
  }

  for (const [index, object] of readArray(raw.Object, 'Event.Object').entries()) {
    const path = `Event.Object[${index}]`;
    if (!isJsonObject(object)) throw new MispShapeError(path, 'an object');
    const ref: ObjectRef = {
      uuid: stringOrNull(object.uuid),
      name: stringOrNull(object.name),
      isDeleted: readBoolean(object.deleted, `${path}.deleted`, false),
    };
    for (const [inner, attribute] of readArray(object.Attribute, `${path}.Attribute`).entries()) {
      const parsed = parseAttribute(attribute, `${path}.Attribute[${inner}]`, event, ref);
      attributes.push(withoutId(parsed));
    }
  }

  return { event, attributes };
}

function readArray(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new MispShapeError(path, 'an array');
  return value as readonly unknown[];
}

function withoutId(attribute: SourceAttribute): SourceAttribute {
  return attribute.id === null ? attribute : { ...attribute, id: null };
}
