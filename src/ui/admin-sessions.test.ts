import { describe, expect, it } from 'vitest';

import { createAdminSessions, isSameToken } from './admin-sessions.js';

describe('admin sessions', () => {
  it('gives a 256-bit id and token, and ends the session at its expiry or logout', () => {
    let now = 1_000_000;
    const sessions = createAdminSessions(3600, () => now);
    const session = sessions.create('alice');

    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.id).not.toBe(session.csrfToken);
    expect(sessions.get(session.id)?.username).toBe('alice');
    expect(sessions.get('not-a-session')).toBeNull();
    expect(sessions.get(undefined)).toBeNull();

    now += 3_600_000;
    expect(sessions.get(session.id)).toBeNull();
    expect(sessions.size).toBe(0);

    const next = sessions.create('alice');
    sessions.destroy(next.id);
    expect(sessions.get(next.id)).toBeNull();
  });

  it.each([
    ['same', 'same', true],
    ['same', 'samf', false],
    ['short', 'longer', false],
    [undefined, 'x', false],
  ])('compares token %j with %j: %s', (given, expected, result) => {
    expect(isSameToken(given, expected)).toBe(result);
  });
});
