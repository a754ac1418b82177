import type { Command } from 'commander';

import { isIocrelayError } from '../errors/iocrelay-error.js';
import {
  addAllowlistEntry,
  listAllowlist,
  removeAllowlistEntry,
} from '../policy/manage-allowlist.js';
import { storeEntryPath } from '../policy/runtime-allowlist.js';
import type { StoredAllowEntry } from '../store/allow-entries.js';
import { formatAllowlist, formatAuditLog } from './allow-output.js';
import { EXIT } from './exit-codes.js';
import { selectTenants } from './select-tenants.js';
import { openRuntime, type Runtime } from './open-runtime.js';
import { printError } from './print-error.js';

const DEFAULT_LOG_LIMIT = 50;

interface ConfigFlags {
  readonly config: string;
}

interface AddFlags extends ConfigFlags {
  readonly reason: string;
  readonly tenant?: string;
  readonly actor?: string;
}

interface RemoveFlags extends ConfigFlags {
  readonly reason: string;
  readonly actor?: string;
}

interface ListFlags extends ConfigFlags {
  readonly tenant?: string;
  readonly json?: boolean;
}

interface LogFlags extends ConfigFlags {
  readonly limit: string;
  readonly before?: string;
  readonly json?: boolean;
}

/**
 * `iocrelay allow add|remove|list|log`: runtime allowlist entries for automation, applied by
 * the next sync, each change audited with who and why.
 *
 * @example
 * registerAllowCommand(program, setExitCode);
 */
export function registerAllowCommand(program: Command, setExitCode: (code: number) => void): void {
  const allow = program
    .command('allow')
    .description('Add, remove and list runtime allowlist entries; the next sync applies them');
  const config = [
    '-c, --config <file>',
    'configuration file',
    process.env['IOCRELAY_CONFIG'],
  ] as const;
  const actor = ['--actor <name>', 'who makes the change (default: $USER, else cli)'] as const;

  allow
    .command('add')
    .description('Allowlist a value (IP, CIDR, domain with its subdomains, URL prefix)')
    .argument('<value>', 'the value; hxxp and [.] are accepted')
    .requiredOption(...config)
    .requiredOption('--reason <text>', 'why it must never be listed (a ticket, the owner)')
    .option('--tenant <id>', 'only for this tenant (default: every tenant)')
    .option(...actor)
    .action(async (value: string, flags: AddFlags) => {
      await withRuntime(flags, setExitCode, async ({ config: loaded, store }) => {
        const entry = await addAllowlistEntry(store, loaded, {
          tenant: flags.tenant ?? null,
          value,
          reason: flags.reason,
          actor: actorOf(flags),
        });
        process.stdout.write(describeChange('added', entry, loaded.file));
      });
    });

  allow
    .command('remove')
    .description('Remove a runtime allowlist entry by its id (see allow list)')
    .argument('<id>', 'the entry id')
    .requiredOption(...config)
    .requiredOption('--reason <text>', 'why it is removed')
    .option(...actor)
    .action(async (id: string, flags: RemoveFlags) => {
      await withRuntime(flags, setExitCode, async ({ config: loaded, store }) => {
        const entry = await removeAllowlistEntry(store, {
          id,
          reason: flags.reason,
          actor: actorOf(flags),
        });
        process.stdout.write(describeChange('removed', entry, loaded.file));
      });
    });

  allow
    .command('list')
    .description('Show the allowlist in force: configured entries and runtime ones with their ids')
    .requiredOption(...config)
    .option('--tenant <id>', 'only the entries that apply to this tenant')
    .option('--json', 'print JSON')
    .action(async (flags: ListFlags) => {
      await withRuntime(flags, setExitCode, async ({ config: loaded, store }) => {
        if (selectTenants(loaded, flags.tenant, setExitCode) === null) return;
        const views = (await listAllowlist(store, loaded)).filter(
          (view) =>
            flags.tenant === undefined || view.tenant === null || view.tenant === flags.tenant,
        );
        process.stdout.write(
          flags.json ? `${JSON.stringify(views, null, 2)}\n` : formatAllowlist(views),
        );
      });
    });

  allow
    .command('log')
    .description('Show the audit log of runtime allowlist changes, newest first')
    .requiredOption(...config)
    .option('--limit <n>', 'records to show', String(DEFAULT_LOG_LIMIT))
    .option('--before <id>', 'only records older than this audit id (next page)')
    .option('--json', 'print JSON')
    .action(async (flags: LogFlags) => {
      const limit = Number(flags.limit);
      const beforeId = flags.before === undefined ? undefined : Number(flags.before);
      if (!isCount(limit) || (beforeId !== undefined && !isCount(beforeId))) {
        process.stderr.write('error: --limit and --before take a whole number from 1\n');
        setExitCode(EXIT.USAGE);
        return;
      }
      await withRuntime(flags, setExitCode, async ({ store }) => {
        const records = await store.auditLog({
          limit,
          ...(beforeId === undefined ? {} : { beforeId }),
        });
        process.stdout.write(
          flags.json ? `${JSON.stringify(records, null, 2)}\n` : formatAuditLog(records),
        );
      });
    });
}

// A refused change (bad value, no reason, unknown tenant, duplicate, unknown id) is an error
// in what was typed: exit 2 like a bad flag, and nothing was written.
async function withRuntime(
  flags: ConfigFlags,
  setExitCode: (code: number) => void,
  work: (runtime: Runtime) => Promise<void>,
): Promise<void> {
  const runtime = await openRuntime({ ...flags, logLevel: 'warn' });
  try {
    setExitCode(EXIT.OK);
    await work(runtime);
  } catch (error) {
    if (!isIocrelayError(error) || !error.code.startsWith('ALLOW_')) throw error;
    printError(error, process.stderr);
    setExitCode(EXIT.USAGE);
  } finally {
    await runtime.store.close();
    runtime.log.flush();
  }
}

function actorOf(flags: { readonly actor?: string }): string {
  return flags.actor ?? (process.env['USER'] || 'cli');
}

function describeChange(verb: 'added' | 'removed', entry: StoredAllowEntry, file: string): string {
  const scope = entry.tenant === null ? 'every tenant' : `tenant ${entry.tenant}`;
  const who = verb === 'added' ? entry.addedBy : (entry.removedBy ?? '-');
  const effect =
    verb === 'added' ? 'takes it off the lists' : 'lists it again if a source still gives it';
  return [
    `${verb} ${storeEntryPath(entry)}: ${entry.value} (${entry.kind}) for ${scope}, by ${who}`,
    `the next sync ${effect}: iocrelay sync --config ${file}`,
    '',
  ].join('\n');
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1;
}
