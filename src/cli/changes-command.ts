import type { Command } from 'commander';

import type { PublicationChanges } from '../store/list-changes.js';
import { EXIT } from './exit-codes.js';
import { selectTenants } from './select-tenants.js';
import { openRuntime } from './open-runtime.js';

interface ChangesFlags {
  readonly config: string;
  readonly tenant: string;
  readonly list?: string;
  readonly limit: string;
  readonly max: string;
  readonly json?: boolean;
}

/** `iocrelay changes --tenant T`: the latest publications of a tenant's lists, with why. */
export function registerChangesCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('changes')
    .description(
      "Show the latest publications of a tenant's lists: entries added and removed, and the rule that removed each",
    )
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--list <file>', 'one list only')
    .option('--limit <n>', 'publications to show', '5')
    .option('--max <n>', 'changes to show per publication', '50')
    .option('--json', 'print JSON')
    .action(async (flags: ChangesFlags) => {
      const limit = Number(flags.limit);
      const maxChanges = Number(flags.max);
      if (!isCount(limit) || !isCount(maxChanges)) {
        process.stderr.write('error: --limit and --max take a whole number from 1\n');
        setExitCode(EXIT.USAGE);
        return;
      }

      const { config, log, store } = await openRuntime({ ...flags, logLevel: 'warn' });
      try {
        const [tenant] = selectTenants(config, flags.tenant, setExitCode) ?? [];
        if (tenant === undefined) return;
        const publications = await store.recentChanges({
          tenant: tenant.id,
          ...(flags.list === undefined ? {} : { list: flags.list }),
          limit,
          maxChanges,
        });
        process.stdout.write(
          flags.json ? `${JSON.stringify(publications, null, 2)}\n` : formatChanges(publications),
        );
        setExitCode(EXIT.OK);
      } finally {
        await store.close();
        log.flush();
      }
    });
}

function formatChanges(publications: readonly PublicationChanges[]): string {
  if (publications.length === 0) return 'no publication yet\n';

  const lines: string[] = [];
  for (const { publication, isFirst, changes, more } of publications) {
    const when = new Date(publication.publishedAt).toISOString();
    const counts = isFirst
      ? `first publication, ${publication.entries} entries`
      : `${publication.entries} entries, +${publication.added} -${publication.removed}`;
    lines.push(
      `${publication.tenant}/${publication.list} at ${when} (run ${publication.runId}): ${counts}`,
    );
    for (const change of changes) {
      lines.push(
        change.change === 'added'
          ? `  + ${change.value}`
          : `  - ${change.value}  (${change.rule ?? 'inactive'}: ${change.detail ?? ''})`,
      );
    }
    if (more > 0) lines.push(`  … ${more} more (--max shows more)`);
  }
  return `${lines.join('\n')}\n`;
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}
