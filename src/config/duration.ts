import { z } from 'zod';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
const DURATION_PATTERN = /^(\d+)(s|m|h|d)$/;

/**
 * A duration in config: a number of seconds, or a string such as `30s`, `5m`, `24h`, `90d`.
 * Parsed to whole seconds.
 *
 * @example
 * duration({ min: 1, default: '5m', description: 'Sync interval.', example: '5m' }).parse('5m'); // 300
 */
export function duration(options: DurationOptions) {
  const bounds = options;
  const max = bounds.max ?? 10 * 365 * 86_400;

  return z
    .union([z.number(), z.string()])
    .meta({
      description: options.description,
      examples: [options.example],
      default: options.default,
    })
    .transform((input, ctx) => {
      const seconds = typeof input === 'number' ? input : parseDuration(input);
      if (seconds === null || !Number.isInteger(seconds) || seconds < bounds.min || seconds > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a duration from ${bounds.min}s to ${max}s, as seconds or like 30s, 5m, 24h, 7d (got ${JSON.stringify(input)})`,
        });
        return z.NEVER;
      }
      return seconds;
    })
    .prefault(options.default);
}

/**
 * A duration key without a fixed default (the code derives one from other keys): a number of
 * seconds or a string such as `15m`, at least `min` seconds; undefined when left out.
 *
 * @example
 * optionalDuration({ min: 60, description: 'Readiness age.', example: '30m' }).parse(undefined); // undefined
 */
export function optionalDuration(options: Omit<DurationOptions, 'default' | 'max'>) {
  return z
    .union([z.number(), z.string()])
    .meta({ description: options.description, examples: [options.example] })
    .transform((input, ctx) => {
      const seconds = typeof input === 'number' ? input : parseDuration(input);
      if (seconds === null || !Number.isInteger(seconds) || seconds < options.min) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a duration of at least ${options.min}s, as seconds or like 5m, 1h (got ${JSON.stringify(input)})`,
        });
        return z.NEVER;
      }
      return seconds;
    })
    .optional();
}

export interface DurationOptions {
  readonly min: number;
  readonly max?: number;
  /** Default as written in a config file, e.g. `5m`. */
  readonly default: string;
  readonly description: string;
  readonly example: string;
}

/** `90s` → 90, `5m` → 300; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? Number.NaN);
}
