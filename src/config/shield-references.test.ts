import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { shieldReferences } from './shield-references.js';

const roundTrip = (text: string): unknown => {
  const shielded = shieldReferences(text);
  return shielded.restore(parse(shielded.text));
};

describe('shieldReferences', () => {
  it('lets a reference stand unquoted in a flow sequence and a flow mapping', () => {
    expect(roundTrip('tokens: [${A_TOKEN}, ${B_TOKEN:-x y}]\nauth: { password: ${PW} }\n')).toEqual(
      {
        tokens: ['${A_TOKEN}', '${B_TOKEN:-x y}'],
        auth: { password: '${PW}' },
      },
    );
  });

  it('keeps references inside quoted and longer strings, and in keys', () => {
    expect(roundTrip('a: "Bearer ${T}"\nb: \'${U}/x\'\n${K}: 1\n')).toEqual({
      a: 'Bearer ${T}',
      b: '${U}/x',
      '${K}': 1,
    });
  });

  it('leaves the $${ escape and text without references as they are', () => {
    const text = 'a: $${NOT_A_REF}\nb: plain\n';
    expect(shieldReferences(text).text).toBe(text);
    expect(roundTrip(text)).toEqual({ a: '$${NOT_A_REF}', b: 'plain' });
  });
});
