import { describe, expect, it } from 'vitest';
import { checkShrink } from './shrink-guard.js';

describe('checkShrink', () => {
  it.each([
    { previous: null, removed: 0, forced: false, held: false, shrink: 0 },
    { previous: 0, removed: 0, forced: false, held: false, shrink: 0 },
    { previous: 100, removed: 0, forced: false, held: false, shrink: 0 },
    { previous: 100, removed: 50, forced: false, held: false, shrink: 0.5 },
    { previous: 100, removed: 51, forced: false, held: true, shrink: 0.51 },
    { previous: 100, removed: 100, forced: false, held: true, shrink: 1 },
    { previous: 100, removed: 100, forced: true, held: false, shrink: 1 },
  ])(
    'previous $previous, removed $removed (forced $forced)',
    ({ previous, removed, forced, held, shrink }) => {
      expect(checkShrink(previous, removed, 0.5, forced)).toEqual({ isHeld: held, shrink });
    },
  );
});
