import type { Command } from 'commander';

import {
  markStaleDevices,
  type CheckedDevice,
  type RefusedFetches,
} from '../store/device-status.js';
import type { PublicationRecord } from '../store/publications.js';
import type { Store } from '../store/store.js';
import { EXIT } from './exit-codes.js';
import { selectTenants } from './select-tenants.js';
import { formatDuration } from './format-duration.js';
import { openRuntime } from './open-runtime.js';

interface StatusFlags {
  readonly config: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

/** What `iocrelay status --json` prints. Times are Unix milliseconds. */
export interface StatusReport {
  readonly now: number;
  /** `server.stale_after`, in seconds. */
  readonly staleAfterS: number;
  readonly tenants: readonly TenantStatus[];
}

export interface TenantStatus {
  readonly tenant: string;
  readonly lists: readonly ListStatus[];
}

export interface ListStatus {
  readonly list: string;
  /** The publication devices are served; null before the first. */
  readonly lastPublication: PublicationRecord | null;
  /** The tenant's devices: fetches answered 200, 304 or 403. */
  readonly devices: readonly CheckedDevice[];
  /** Fetches credited to no device of the tenant (401, 404, 500), per answer. */
  readonly refused: readonly RefusedFetches[];
}

/** `iocrelay status`: per tenant list, the last publication and the devices that fetch it. */
export function registerStatusCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('status')
    .description("Show each list's last publication, its devices' last fetches and stale devices")
    .requiredOption('-c, --config <file>', 'configuration file', process.env['IOCRELAY_CONFIG'])
    .option('--tenant <id>', 'one tenant only')
    .option('--json', 'print JSON')
    .action(async (flags: StatusFlags) => {
      const { config, log, store } = await openRuntime({ ...flags, logLevel: 'warn' });
      try {
        const tenants = selectTenants(config, flags.tenant, setExitCode);
        if (tenants === null) return;

        const now = Date.now();
        const staleAfterS = config.server.stale_after;
        const statuses: TenantStatus[] = [];
        for (const tenant of tenants) {
          const lists = tenant.lists.map((list) => list.file);
          statuses.push(await tenantStatus(store, tenant.id, lists, now, staleAfterS));
        }
        const report: StatusReport = { now, staleAfterS, tenants: statuses };
        process.stdout.write(
          flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report),
        );
        setExitCode(EXIT.OK);
      } finally {
        await store.close();
        log.flush();
      }
    });
}

async function tenantStatus(
  store: Store,
  tenant: string,
  lists: readonly string[],
  now: number,
  staleAfterS: number,
): Promise<TenantStatus> {
  const devices = markStaleDevices(await store.deviceStatus(tenant), now, staleAfterS);
  const refused = await store.refusedFetches(tenant);

  const statuses: ListStatus[] = [];
  for (const list of lists) {
    statuses.push({
      list,
      lastPublication: await store.lastPublication(tenant, list),
      devices: devices.filter((device) => device.list === list),
      refused: refused.filter((row) => row.list === list),
    });
  }
  return { tenant, lists: statuses };
}

const REFUSAL: Readonly<Record<number, string>> = {
  401: 'no or wrong credentials (401)',
  404: "answered 404: another tenant's credentials, or the list not published yet",
  500: 'failed in the server (500)',
};

function formatStatus(report: StatusReport): string {
  const lines: string[] = [];
  for (const { tenant, lists } of report.tenants) {
    for (const { list, lastPublication, devices, refused } of lists) {
      const published =
        lastPublication === null
          ? 'not published yet'
          : `${lastPublication.entries} entries, published ${iso(lastPublication.publishedAt)}`;
      lines.push(`${tenant}/${list}: ${published}`);
      if (devices.length === 0) lines.push('  no device has fetched it');
      for (const device of devices) lines.push(`  ${formatDevice(device, report.now)}`);
      for (const row of refused) {
        const reason = REFUSAL[row.status] ?? `answered ${row.status}`;
        lines.push(`  refused: ${count(row.fetches, 'fetch')}, ${reason}, last ${iso(row.lastAt)}`);
      }
    }
  }
  const devices = report.tenants.flatMap((t) => t.lists).flatMap((l) => l.devices);
  const stale = devices.filter((device) => device.isStale).length;
  const limit = formatDuration(report.staleAfterS * 1000);
  lines.push(`${count(devices.length, 'device')}, ${stale} stale (no fetch for over ${limit})`);
  return `${lines.join('\n')}\n`;
}

function formatDevice(device: CheckedDevice, now: number): string {
  const who = `${device.device} at ${device.clientIp} (${device.userAgent ?? 'no user agent'})`;
  const holds =
    device.sha256 === null
      ? 'holds no publication'
      : device.isCurrent
        ? 'holds the current publication'
        : `holds an older publication (${device.sha256.slice(0, 12)})`;
  const last = `last fetch ${iso(device.lastFetchAt)} (${device.lastStatus})`;
  const stale = device.isStale
    ? `, STALE: no fetch for ${formatDuration(now - device.lastFetchAt)}`
    : '';
  return `${who}: ${last}, ${holds}, ${count(device.fetches, 'fetch')}${stale}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : noun.endsWith('h') ? 'es' : 's'}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
