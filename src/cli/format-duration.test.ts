import { describe, expect, it } from 'vitest';

import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [42_999, '42s'],
    [60_000, '1m00s'],
    [252_000, '4m12s'],
    [7_500_000, '2h05m'],
    [273_600_000, '3d04h'],
    [-90_000, '-1m30s'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
