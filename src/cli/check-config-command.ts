import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { compilePolicies } from '../policy/compile-policies.js';
import { redactUrl } from '../sources/redact-url.js';
import { EXIT } from './exit-codes.js';

/** `iocrelay check-config`: validate a configuration and say what it will do. */
export function registerCheckConfigCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('check-config')
    .description('Validate a configuration file and list its sources and lists; runs nothing')
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .action(async (flags: { readonly config: string }) => {
      const config = loadConfig(flags.config);
      const out = process.stdout;
      // The warninglists are read and the list names checked, as the next sync will.
      const policies = await compilePolicies(config);

      out.write(`configuration ${config.file} is valid\n`);
      out.write(`database: ${config.database}\n`);
      if (config.misp) {
        out.write(
          `source misp: ${redactUrl(config.misp.url)} (page size ${config.misp.page_size}, TLS ${config.misp.verify_tls ? 'verified' : 'NOT verified'})\n`,
        );
      }
      for (const feed of config.feeds)
        out.write(`source feed:${feed.name}: ${safeLocation(feed.url)}\n`);
      for (const tenant of config.tenants) {
        if (tenant.misp)
          out.write(`source misp:${tenant.id}: own query of tenant ${tenant.id} on misp\n`);
        for (const feed of tenant.feeds)
          out.write(
            `source feed:${feed.name}: ${safeLocation(feed.url)} (tenant ${tenant.id} only)\n`,
          );
      }
      if (config.warninglists) {
        const names = new Set([...policies.values()].flatMap((p) => p.warninglists?.lists ?? []));
        out.write(`warninglists: ${names.size} applied from ${config.warninglists.dir}\n`);
      }
      for (const tenant of config.tenants) {
        for (const list of tenant.lists) {
          out.write(
            `list ${tenant.id}/${list.file}: ${list.types.join(', ')} → ${config.publish.dir}/${tenant.id}/${list.file}\n`,
          );
        }
      }
      setExitCode(EXIT.OK);
    });
}

// Credentials in a URL (user:password@, ?key=) are secrets like any other: never printed.
function safeLocation(location: string): string {
  return /^https?:\/\//i.test(location) ? redactUrl(location) : location;
}
