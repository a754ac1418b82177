import { describe, expect, it } from 'vitest';
import { checkShrink } from './shrink-guard.js';

describe('checkShrink', () => {
  it.each([
    { previous: null, next: 0, forced: false, held: false, shrink: 0 },
    { previous: 0, next: 0, forced: false, held: false, shrink: 0 },
    { previous: 100, next: 150, forced: false, held: false, shrink: 0 },
    { previous: 100, next: 50, forced: false, held: false, shrink: 0.5 },
    { previous: 100, next: 49, forced: false, held: true, shrink: 0.51 },
    { previous: 100, next: 0, forced: false, held: true, shrink: 1 },
    { previous: 100, next: 0, forced: true, held: false, shrink: 1 },
  ])(
    'previous $previous → next $next (forced $forced)',
    ({ previous, next, forced, held, shrink }) => {
      expect(checkShrink(previous, next, 0.5, forced)).toEqual({ isHeld: held, shrink });
    },
  );
});
