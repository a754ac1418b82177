import type { LoadedConfig } from '../config/load-config.js';
import { IocrelayError } from '../errors/iocrelay-error.js';
import { compilePolicies } from '../policy/compile-policies.js';
import { excludeAttribute } from '../policy/tenant-selection.js';
import type { MonthReportRows } from '../store/report-queries.js';
import type { Store } from '../store/store.js';

/** MISP events ranked in a report. */
export const DEFAULT_TOP_EVENTS = 10;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Everything a monthly report shows, computed; the renderers only lay it out. */
export interface MonthReport {
  readonly tenant: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** UTC month boundaries, Unix milliseconds; `end` excluded. */
  readonly start: number;
  readonly end: number;
  /** When the report was made; a month in progress is reported up to this time. */
  readonly generatedAt: number;
  /** Device interval (`server.stale_after`), milliseconds. */
  readonly intervalMs: number;
  /** Intervals of the month up to `generatedAt`: the denominator of uptime. */
  readonly intervals: number;
  readonly rows: MonthReportRows;
  readonly devices: readonly DeviceUptime[];
  readonly timeToBlock: {
    readonly firstPublished: number;
    readonly delivered: number;
    /** Nearest-rank percentiles, milliseconds; null without a sample. */
    readonly medianMs: number | null;
    readonly p90Ms: number | null;
  };
}

export interface DeviceUptime {
  readonly device: string;
  readonly clientIp: string;
  readonly activeIntervals: number;
  /** `activeIntervals / intervals`, 0 to 1. */
  readonly uptime: number;
  readonly fetches: number;
  readonly lastFetchAt: number;
}

/**
 * The UTC boundaries of a `YYYY-MM` month. Throws REPORT_MONTH_INVALID on another shape, a
 * month before 1970-01 or a month that begins after `now`.
 *
 * @example
 * monthBounds('2026-11', Date.now()); // { start: 1793491200000, end: 1796083200000 }
 */
export function monthBounds(month: string, now: number): { start: number; end: number } {
  const match = MONTH.exec(month);
  if (match === null) throw new IocrelayError('REPORT_MONTH_INVALID', { month });

  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  // Date.UTC reads years 0 to 99 as 1900 to 1999, and no store holds anything before 1970.
  if (year < 1970)
    throw new IocrelayError('REPORT_MONTH_INVALID', { month, reason: 'before 1970' });
  const start = Date.UTC(year, index, 1);
  if (start > now) throw new IocrelayError('REPORT_MONTH_INVALID', { month, reason: 'not begun' });
  return { start, end: Date.UTC(year, index + 1, 1) };
}

/**
 * Reads a tenant's month from the store and computes its figures. Which attributes count as
 * an indicator's provenance follows the tenant's current selection policy. Throws
 * REPORT_TENANT_UNKNOWN and REPORT_MONTH_INVALID.
 *
 * @example
 * const report = await monthReportData(store, config, 'acme', '2026-11', Date.now());
 */
export async function monthReportData(
  store: Store,
  config: LoadedConfig,
  tenant: string,
  month: string,
  now: number,
): Promise<MonthReport> {
  const tenantConfig = config.tenants.find((t) => t.id === tenant);
  if (tenantConfig === undefined) {
    const known = config.tenants.map((t) => t.id).join(', ');
    throw new IocrelayError('REPORT_TENANT_UNKNOWN', { tenant, known });
  }
  const { start, end } = monthBounds(month, now);

  const policy = (await compilePolicies(config)).get(tenant);
  if (policy === undefined) throw new Error(`no policy compiled for tenant ${tenant}`);
  const intervalMs = config.server.stale_after * 1000;
  const rows = await store.monthReport({
    tenant,
    lists: tenantConfig.lists.map((list) => list.file),
    start,
    end,
    intervalMs,
    topEvents: DEFAULT_TOP_EVENTS,
    isSelected: (attribute, kind) => excludeAttribute(attribute, kind, policy.selection) === null,
  });

  const intervals = Math.ceil((Math.min(end, Math.max(now, start + 1)) - start) / intervalMs);
  const samples = rows.timeToBlock.samplesMs;
  return {
    tenant,
    month,
    start,
    end,
    generatedAt: now,
    intervalMs,
    intervals,
    rows,
    devices: rows.devices.map((device) => ({
      ...device,
      uptime: Math.min(1, device.activeIntervals / intervals),
    })),
    timeToBlock: {
      firstPublished: rows.timeToBlock.firstPublished,
      delivered: samples.length,
      medianMs: nearestRank(samples, 0.5),
      p90Ms: nearestRank(samples, 0.9),
    },
  };
}

/**
 * The nearest-rank percentile of ascending values: the smallest value with at least `p` of
 * the values at or below it. Null for no values.
 *
 * @example
 * nearestRank([1, 2, 3, 4], 0.5); // 2
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}
