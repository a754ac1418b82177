import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { loadConfig } from '../config/load-config.js';
import { presignListUrl } from '../publish/presign-list-url.js';
import { EXIT } from './exit-codes.js';

// SigV4 refuses a presigned URL valid for more than 7 days.
const MIN_EXPIRES = 60;
const MAX_EXPIRES = 7 * 86_400;

interface PresignFlags {
  readonly config: string;
  readonly tenant: string;
  readonly list: string;
  readonly expires?: string;
}

/** `iocrelay presign --tenant T --list FILE`: a time-limited URL of a list in the bucket. */
export function registerPresignCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('presign')
    .description(
      "Print a presigned URL of a tenant's list in the S3 bucket (publish.s3), for a device that cannot sign requests",
    )
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .requiredOption('--tenant <id>', 'tenant id')
    .requiredOption('--list <file>', 'list file name, as in tenants[].lists[].file')
    .option('--expires <duration>', 'lifetime, 60s to 7d (default: publish.s3.presign_expires)')
    .action(async (flags: PresignFlags) => {
      const usageError = (message: string): void => {
        process.stderr.write(`error: ${message}\n`);
        setExitCode(EXIT.USAGE);
      };

      const expires = flags.expires === undefined ? undefined : parseDuration(flags.expires);
      if (expires === null || (expires !== undefined && !isLifetime(expires))) {
        usageError('--expires takes a duration from 60s to 7d, like 3600s, 12h or 7d');
        return;
      }

      const config = loadConfig(flags.config);
      const s3 = config.publish.s3;
      if (s3 === undefined) {
        usageError(`publish.s3 is not set in ${config.file}: there is no bucket to sign for`);
        return;
      }
      const tenant = config.tenants.find((t) => t.id === flags.tenant);
      if (tenant === undefined) {
        process.stderr.write(
          `error TENANT_UNKNOWN: no tenant "${flags.tenant}" in ${config.file}\n`,
        );
        setExitCode(EXIT.USAGE);
        return;
      }
      if (!tenant.lists.some((list) => list.file === flags.list)) {
        const files = tenant.lists.map((list) => list.file).join(', ');
        usageError(`tenant ${tenant.id} has no list "${flags.list}"; its lists: ${files}`);
        return;
      }

      const url = await presignListUrl(
        expires === undefined ? s3 : { ...s3, presign_expires: expires },
        tenant.id,
        flags.list,
      );
      process.stdout.write(`${url}\n`);
      setExitCode(EXIT.OK);
    });
}

function isLifetime(seconds: number): boolean {
  return seconds >= MIN_EXPIRES && seconds <= MAX_EXPIRES;
}
