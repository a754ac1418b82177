import type { Command } from 'commander';
import { explainValue, type Explanation } from '../explain/explain-value.js';
import { compilePolicies } from '../policy/compile-policies.js';
import { runtimeAllowlist } from '../policy/runtime-allowlist.js';
import { createDirPublisher } from '../publish/dir-publisher.js';
import { rendererOf } from '../render/renderers.js';
import { mostRestrictiveTlp } from '../policy/tlp.js';
import type { ListDelivery } from '../store/time-to-block.js';
import { EXIT } from './exit-codes.js';
import { selectTenants } from './select-tenants.js';
import { formatDuration } from './format-duration.js';
import { openRuntime } from './open-runtime.js';

interface ExplainFlags {
  readonly config: string;
  readonly json?: boolean;
  readonly tenant?: string;
}

/** `iocrelay explain VALUE`: provenance of a value and the lists that carry it. */
export function registerExplainCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('explain')
    .description(
      'Show what the store knows of a value (refanged or defanged) and which lists carry it',
    )
    .argument('<value>', 'IP, CIDR, domain, URL or hash; hxxp and [.] are accepted')
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .option('--tenant <id>', "only this tenant's lists")
    .option('--json', 'print JSON')
    .action(async (value: string, flags: ExplainFlags) => {
      const { config, log, store } = await openRuntime({ ...flags, logLevel: 'warn' });
      try {
        const tenants = selectTenants(config, flags.tenant, setExitCode);
        if (tenants === null) return;
        const policies = await compilePolicies(config, {
          runtimeAllowlist: runtimeAllowlist(await store.allowEntries()),
        });
        const now = Math.floor(Date.now() / 1000);
        const publisher = createDirPublisher(config.publish.dir);
        const readPublished = async (tenantId: string, file: string) => {
          const content = await publisher.read(tenantId, file);
          const format = config.tenants
            .find((t) => t.id === tenantId)
            ?.lists.find((l) => l.file === file)?.format;
          if (content === null || format === undefined) return null;
          return rendererOf(format).entriesOf(content.toString('utf8'));
        };
        const explanation = await explainValue(
          { store, tenants, policies, readPublished, now },
          value,
        );
        process.stdout.write(
          flags.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation),
        );
        setExitCode(EXIT.OK);
      } finally {
        await store.close();
        log.flush();
      }
    });
}

function formatExplanation(explanation: Explanation): string {
  const { indicator, record } = explanation;
  const lines = [`${indicator.value} (${indicator.kind})`];

  if (!record) {
    lines.push('  not in the store: no source has given this value');
  } else {
    lines.push(`  first stored: ${iso(record.firstStoredAt)}`);
    lines.push(`  attributes (${record.attributes.length}):`);
    for (const a of record.attributes) {
      const state = [
        a.isPresent ? null : 'gone',
        a.deleted ? 'deleted' : null,
        a.toIds ? 'to_ids' : 'no to_ids',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `    - ${a.source} ${a.type} ${JSON.stringify(a.rawValue)} [${state}] attribute ${a.uuid}`,
      );
      lines.push(
        `      event ${a.event.uuid}${a.event.mispId ? ` (#${a.event.mispId})` : ''}: ${a.event.info}`,
      );
      lines.push(
        `      org ${a.event.orgName ?? '-'}, threat level ${a.event.threatLevel ?? '-'}, TLP ${mostRestrictiveTlp(a.tlp, a.event.tlp) ?? 'none'}, MISP timestamp ${iso(a.timestamp * 1000)}`,
      );
      const tags = [...a.tags, ...a.event.tags];
      if (tags.length > 0) lines.push(`      tags: ${tags.join(', ')}`);
    }
  }

  lines.push('  lists:');
  for (const list of explanation.lists) {
    const where = `${list.tenant}/${list.list}`;
    lines.push(
      list.isListed
        ? `    ${where}: listed since ${iso(list.firstPublishedAt)}`
        : `    ${where}: not listed (${list.reason ?? 'unknown'})`,
    );
    if (list.coveredBy.length > 0) {
      lines.push(`      blocked all the same: inside ${list.coveredBy.join(', ')} on this list`);
    }
    if (list.delivery !== null) lines.push(...formatDelivery(list.delivery));
  }
  return `${lines.join('\n')}\n`;
}

function formatDelivery(delivery: ListDelivery): string[] {
  const after =
    delivery.publishDelayMs === null ? '' : ` (${formatDuration(delivery.publishDelayMs)} later)`;
  const recorded = `recorded in MISP at ${iso(delivery.recordedInMispAt)}`;
  const lines = [`      ${recorded}, first published at ${iso(delivery.firstPublishedAt)}${after}`];
  if (delivery.devices.length === 0) lines.push('      no device has fetched the list since');
  for (const device of delivery.devices) {
    const who = `${device.device} at ${device.clientIp} (${device.userAgent ?? 'no user agent'})`;
    if (device.firstFetchedAt === null) {
      lines.push(`      device ${who}: has not fetched it yet`);
      continue;
    }
    const fetched = `first fetched at ${iso(device.firstFetchedAt)}`;
    const wait = `${formatDuration(device.fetchDelayMs ?? 0)} after publication`;
    const block =
      device.timeToBlockMs === null
        ? ''
        : `, time to block ${formatDuration(device.timeToBlockMs)}`;
    lines.push(`      device ${who}: ${fetched} (${wait})${block}`);
  }
  return lines;
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}
