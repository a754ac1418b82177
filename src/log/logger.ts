import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { stderrDestination } from './batched-destination.js';

export type { Logger } from 'pino';

/**
 * Paths pino blanks in every record. Secrets have fixed names in iocrelay's config and errors,
 * so a record that carries one by mistake still prints `[redacted]`.
 */
export const REDACTED_PATHS = [
  'api_key',
  'apiKey',
  'password',
  'token',
  'tokens',
  'secret',
  'authorization',
  '*.api_key',
  '*.apiKey',
  '*.password',
  '*.token',
  '*.tokens',
  '*.secret',
  '*.authorization',
  '*.headers.authorization',
  '*.*.api_key',
  '*.*.password',
  '*.*.token',
  '*.*.secret',
  'config.misp.api_key',
  'secret_access_key',
  'password_hash',
  '*.secret_access_key',
  '*.password_hash',
  '*.*.secret_access_key',
  '*.*.password_hash',
  '*.*.tokens',
  'config.publish.s3.secret_access_key',
  'config.server.metrics.token',
] as const;

export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  /**
   * Where JSON lines go. By default stderr, so stdout stays for command output, with the lines
   * of one event-loop turn written together (stderrDestination).
   */
  readonly destination?: DestinationStream;
}

/**
 * The root logger: pino JSON, secrets redacted. Components take a child with
 * `log.child({ component: 'misp' })`.
 *
 * @example
 * const log = createLogger({ level: 'info' });
 * log.info({ tenant: 'acme', list: 'ip.txt', entries: 12 }, 'list published');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'iocrelay' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? stderrDestination(),
  );
}

/** A logger that drops everything, for library callers and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
