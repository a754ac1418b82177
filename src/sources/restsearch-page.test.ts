import { describe, expect, it } from 'vitest';
import { IocrelayError } from '../errors/iocrelay-error.js';
import type { HttpResponse } from './http-client.js';
import { readRestSearchPage } from './restsearch-page.js';
import type { SourceEvent } from './source-attribute.js';

const URL = 'https://misp.example/attributes/restSearch';

function answer(body: unknown, status = 200, headers: Record<string, string> = {}): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: text };
}

function read(response: HttpResponse, events = new Map<string, SourceEvent>()) {
  return readRestSearchPage(response, { url: URL, page: 2, events });
}

function codeOf(response: HttpResponse): unknown {
  try {
    read(response);
    return null;
  } catch (error) {
    return error instanceof IocrelayError ? [error.code, error.details] : error;
  }
}

const PHP_FATAL =
  '<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 4096 bytes)';

/** An attribute as MISP 2.4 without includeContext sends it: a short Event, Tag left out. */
const BARE = {
  id: '812',
  event_id: '14',
  object_id: '0',
  category: 'Network activity',
  type: 'ip-dst|port',
  value: '192.0.2.5|8443',
  to_ids: '1',
  uuid: '5a4e4fff-407c-40ff-9de5-43dc950d210f',
  timestamp: '1515081727',
  comment: 'C2',
  deleted: '0',
  first_seen: '1515081727000000',
  last_seen: null,
  Event: {
    org_id: '1',
    distribution: '0',
    id: '14',
    info: 'Test',
    orgc_id: '1',
    uuid: '5a4e4fdd-1eb4-4ff3-9e87-43fa950d210f',
  },
};

describe('readRestSearchPage', () => {
  it('reads an attribute with string flags, no Tag and a short Event', () => {
    expect(read(answer({ response: { Attribute: [BARE] } }))).toEqual([
      {
        uuid: BARE.uuid,
        id: '812',
        type: 'ip-dst|port',
        category: 'Network activity',
        value: '192.0.2.5|8443',
        toIds: true,
        deleted: false,
        timestamp: 1_515_081_727,
        firstSeen: '2018-01-04T16:02:07.000000Z',
        lastSeen: null,
        comment: 'C2',
        tags: [],
        objectUuid: null,
        objectName: null,
        lastSighting: null,
        expirationSighting: null,
        decayed: null,
        event: {
          uuid: BARE.Event.uuid,
          id: '14',
          info: 'Test',
          orgName: null,
          threatLevel: null,
          tags: [],
          timestamp: null,
          published: null,
        },
      },
    ]);
  });

  it.each([
    ['{"response":[]}', { response: [] }],
    ['{"response":{"Attribute":[]}}', { response: { Attribute: [] } }],
  ])('reads the empty answer %s', (_name, body) => {
    expect(read(answer(body))).toEqual([]);
  });

  it('keeps inherited event tags off the attribute', () => {
    const attribute = { ...BARE, Tag: [{ name: 'own' }, { name: 'tlp:clear', inherited: 1 }] };
    expect(read(answer({ response: { Attribute: [attribute] } }))[0]?.tags).toEqual(['own']);
  });

  it('shares the event object across pages of one pull', () => {
    const events = new Map<string, SourceEvent>();
    const first = read(answer({ response: { Attribute: [BARE] } }), events)[0];
    const second = read(
      answer({ response: { Attribute: [{ ...BARE, id: '813', uuid: 'other' }] } }),
      events,
    )[0];
    expect(second?.event).toBe(first?.event);
  });

  it('takes the event uuid from event_uuid when the Event part lacks it', () => {
    const attribute = { ...BARE, Event: undefined, event_uuid: BARE.Event.uuid };
    expect(read(answer({ response: { Attribute: [attribute] } }))[0]?.event).toMatchObject({
      uuid: BARE.Event.uuid,
      id: '14',
    });
  });

  it.each([
    ['no response', 'response', { Attribute: [] }],
    ['a response string', 'response', { response: 'x' }],
    ['an array root', '(root)', [{ response: [] }]],
    [
      'an attribute without uuid',
      'response.Attribute[0].uuid',
      { response: { Attribute: [{ ...BARE, uuid: undefined }] } },
    ],
    [
      'an event without uuid',
      'response.Attribute[0].Event.uuid',
      { response: { Attribute: [{ ...BARE, Event: {} }] } },
    ],
    [
      'a non-array Tag',
      'response.Attribute[0].Tag',
      { response: { Attribute: [{ ...BARE, Tag: 'x' }] } },
    ],
  ])('refuses %s with MISP_BAD_SHAPE at %s', (_name, path, body) => {
    expect(codeOf(answer(body))).toMatchObject(['MISP_BAD_SHAPE', { url: URL, page: 2, path }]);
  });

  it.each([
    ['403', 'MISP_AUTH_FAILED', answer({ name: 'Authentication failed.' }, 403)],
    [
      '302 to the login',
      'MISP_LOGIN_REDIRECT',
      answer('', 302, { location: 'https://misp.example/users/login' }),
    ],
    ['301 elsewhere', 'MISP_HTTP_ERROR', answer('', 301, { location: 'https://misp.example/new' })],
    [
      '500 memory',
      'MISP_MEMORY_EXHAUSTED',
      answer(
        'Allowed memory size of 536870912 bytes exhausted (tried to allocate 8192 bytes)',
        500,
      ),
    ],
    ['502', 'MISP_HTTP_ERROR', answer('oops', 502)],
    [
      '200 text/html',
      'MISP_NOT_JSON',
      answer('<html>login</html>', 200, { 'content-type': 'text/html' }),
    ],
    ['200 PHP warning', 'MISP_NOT_JSON', answer('  <br />\n<b>Warning</b>', 200)],
    ['200 cut JSON', 'MISP_TRUNCATED', answer('{"response": {"Attri', 200)],
    ['200 empty body', 'MISP_TRUNCATED', answer('', 200)],
    [
      '200 PHP fatal page',
      'MISP_MEMORY_EXHAUSTED',
      answer(PHP_FATAL, 200, { 'content-type': 'text/html' }),
    ],
    [
      '200 JSON cut by a PHP fatal',
      'MISP_MEMORY_EXHAUSTED',
      answer(`{"response": {"Attribute": [${PHP_FATAL}`, 200),
    ],
  ])('maps a %s answer to %s', (_name, code, response) => {
    expect((codeOf(response) as unknown[])[0]).toBe(code);
  });
});
