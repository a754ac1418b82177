/**
 * MISP wire documents for tests, shaped like MISP 2.4/2.5 answers (openapi.yaml
 * AttributeRestSearchListItem): ids and timestamps as strings, to_ids and deleted as booleans,
 * the event's metadata in `Event` (what `includeContext` returns). Values come from the
 * documentation ranges only.
 */

export type MispWireEvent = Record<string, unknown> & {
  readonly id: string;
  readonly uuid: string;
  readonly published: boolean;
};

export type MispWireAttribute = Record<string, unknown> & {
  readonly id: string;
  readonly uuid: string;
  readonly type: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly deleted: boolean;
  readonly timestamp: string;
  readonly Event: MispWireEvent;
};

/** Many attributes without holding them: the server asks for attribute `index` on demand. */
export interface AttributeProvider {
  readonly count: number;
  at(index: number): MispWireAttribute;
}

/** A uuid that is stable for a (kind, n) pair, so tests can name what they expect. */
export function testUuid(kind: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

export function wireEvent(n: number, overrides: Partial<MispWireEvent> = {}): MispWireEvent {
  return {
    id: String(n),
    orgc_id: '1',
    org_id: '1',
    date: '2024-05-01',
    threat_level_id: '2',
    info: `Test event ${n}`,
    published: true,
    uuid: testUuid(1, n),
    analysis: '2',
    timestamp: '1714521600',
    distribution: '3',
    publish_timestamp: '1714521600',
    sharing_group_id: '0',
    extends_uuid: '',
    Tag: [{ id: '7', name: 'tlp:clear', colour: '#ffffff', numerical_value: null, local: false }],
    Orgc: { id: '1', name: 'CERT Example', uuid: testUuid(2, 1), local: true },
    ...overrides,
  };
}

export function wireAttribute(
  n: number,
  event: MispWireEvent,
  overrides: Partial<MispWireAttribute> = {},
): MispWireAttribute {
  return {
    id: String(n),
    event_id: event.id,
    object_id: '0',
    object_relation: null,
    category: 'Network activity',
    type: 'ip-dst',
    to_ids: true,
    uuid: testUuid(3, n),
    timestamp: String(1_714_521_600 + n),
    distribution: '5',
    sharing_group_id: '0',
    comment: '',
    deleted: false,
    disable_correlation: false,
    first_seen: null,
    last_seen: null,
    value: `198.51.100.${n % 256}`,
    Event: event,
    Tag: [],
    ...overrides,
  };
}

const SYNTHETIC_TYPES = ['ip-dst', 'domain', 'url', 'ip-src', 'hostname'] as const;

/**
 * A large synthetic MISP for benchmarks: `count` attributes over `events` events, built on
 * demand. Values are unique within the documentation ranges (IPv6 2001:db8::/32, `.example`).
 *
 * @example
 * const server = await startMispApiServer({ apiKey, provider: syntheticProvider(1_000_000) });
 */
export function syntheticProvider(count: number, events = 1000): AttributeProvider {
  const eventCache = new Map<number, MispWireEvent>();
  const eventOf = (n: number): MispWireEvent => {
    let event = eventCache.get(n);
    if (event === undefined) {
      event = wireEvent(n + 1, { threat_level_id: String((n % 4) + 1), published: n % 10 !== 0 });
      eventCache.set(n, event);
    }
    return event;
  };

  return {
    count,
    at(index) {
      const type = SYNTHETIC_TYPES[index % SYNTHETIC_TYPES.length] ?? 'ip-dst';
      return wireAttribute(index + 1, eventOf(index % events), {
        type,
        value: syntheticValue(type, index),
        to_ids: index % 7 !== 0,
        Tag: index % 3 === 0 ? [{ id: '9', name: 'kill-chain:c2', colour: '#000000' }] : [],
      });
    },
  };
}

function syntheticValue(type: string, index: number): string {
  switch (type) {
    case 'ip-dst':
    case 'ip-src':
      return `2001:db8:${(index >>> 16).toString(16)}::${(index & 0xffff).toString(16)}`;
    case 'url':
      return `https://n${index}.example/path`;
    default:
      return `n${index}.example`;
  }
}
