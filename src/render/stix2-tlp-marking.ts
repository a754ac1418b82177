import type { Tlp } from '../policy/tlp.js';

/**
 * The TLP 2.0 marking extension of OASIS (cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0). STIX 2.1 itself only defines TLP 1.0
 * markings (white, green, amber, red), which cannot say CLEAR or AMBER+STRICT.
 */
export const TLP_2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The fixed ids OASIS gave the TLP 2.0 marking definitions; consumers match on these. */
export const TLP_2_MARKING_IDS: Readonly<Record<Tlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** A TLP 2.0 marking-definition object, as OASIS publishes it. */
export interface TlpMarking {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: string;
  readonly created: string;
  readonly name: string;
  readonly extensions: Readonly<
    Record<string, { readonly extension_type: 'property-extension'; readonly tlp_2_0: Tlp }>
  >;
}

/**
 * The marking-definition object of one TLP level, byte for byte the OASIS one (same id,
 * `created` of 2022-10-01), so a bundle carries it and stays self-contained.
 *
 * @example
 * tlpMarking('amber+strict').name; // 'TLP:AMBER+STRICT'
 */
export function tlpMarking(tlp: Tlp): TlpMarking {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_2_MARKING_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp.toUpperCase()}`,
    extensions: {
      [TLP_2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp },
    },
  };
}
