import { Option } from 'commander';

/** `--log-level`, limited to pino's levels so a typo is a usage error, not a crash. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level (overrides log_level)').choices([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ]);
}
