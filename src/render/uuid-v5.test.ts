import { describe, expect, it } from 'vitest';
import { uuidV5 } from './uuid-v5.js';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const URL_NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  it.each([
    // RFC 9562 appendix A.4.
    [DNS, 'www.example.com', '2ed6657d-e927-568b-95e1-2665a8aea6a2'],
    [URL_NS, 'http://www.example.com/', 'fcde3c85-2270-590f-9e7c-ee003d65e0e2'],
  ])('in %s, %s gives %s', (namespace, name, expected) => {
    expect(uuidV5(namespace, name)).toBe(expected);
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow('uuidV5: not-a-uuid is not a UUID');
  });
});
