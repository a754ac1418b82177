import type { ConfigProblem } from './config-error.js';
import { parseDuration } from './duration.js';
import { maskedNetwork } from './masked-network.js';
import { DEFAULT_SYNC_INTERVAL_S } from './server-schema.js';

/**
 * Checks that span several keys, run on the raw file so that they are reported together with
 * the schema's problems: a schema refinement runs only once everything else is valid, which
 * would make the operator fix the file in rounds.
 *
 * @example
 * const problems = crossCheck(parsedYaml);
 */
export function crossCheck(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const root = asRecord(raw);
  const misp = asRecord(root['misp']);
  const feeds = asArray(root['feeds']);

  const tenants = asArray(root['tenants']);
  const hasTenantFeeds = tenants.some((t) => asArray(asRecord(t)['feeds']).length > 0);
  if (root['misp'] === undefined && feeds.length === 0 && !hasTenantFeeds) {
    problems.push({ path: 'misp', message: 'no source: configure misp, feeds, or both' });
  }
  if (root['misp'] !== undefined) {
    const hasKey = misp['api_key'] !== undefined;
    const hasKeyFile = misp['api_key_file'] !== undefined;
    if (!hasKey && !hasKeyFile) {
      problems.push({
        path: 'misp.api_key',
        message: 'is required: set it (e.g. ${MISP_API_KEY}) or give misp.api_key_file',
      });
    }
    if (hasKey && hasKeyFile) {
      problems.push({
        path: 'misp.api_key_file',
        message: 'give misp.api_key or misp.api_key_file, not both',
      });
    }
  }

  for (const [path, value] of [
    ['database', root['database']],
    ['publish.dir', asRecord(root['publish'])['dir']],
  ] as const) {
    if (typeof value === 'string' && value.startsWith('~')) {
      problems.push({
        path,
        message: '~ is not expanded; give an absolute path or one relative to this file',
      });
    }
  }

  const s3 = asRecord(asRecord(root['publish'])['s3']);
  if ((s3['access_key_id'] === undefined) !== (s3['secret_access_key'] === undefined)) {
    problems.push({
      path: `publish.s3.${s3['access_key_id'] === undefined ? 'access_key_id' : 'secret_access_key'}`,
      message:
        'is required with the other key: give both, or neither to use the AWS credential chain',
    });
  }

  const readyMaxAge = durationOf(asRecord(root['server'])['ready_max_age']);
  const syncInterval = durationOf(asRecord(root['server'])['sync_interval']);
  const interval = syncInterval ?? durationOf(misp['interval']) ?? DEFAULT_SYNC_INTERVAL_S;
  if (readyMaxAge !== null && readyMaxAge < interval) {
    problems.push({
      path: 'server.ready_max_age',
      message: `is shorter than the sync interval (${interval}s): /readyz would fail between two good runs; give at least ${2 * interval}s`,
    });
  }

  asArray(asRecord(asRecord(root['server'])['metrics'])['allow']).forEach((entry, index) => {
    const network = typeof entry === 'string' ? maskedNetwork(entry.trim()) : null;
    if (network === null) return;
    problems.push({
      path: `server.metrics.allow.${index}`,
      message: `${String(entry)} has host bits set, which would allow the whole network: write ${network} for the network, or the address alone`,
    });
  });

  reportDuplicates(
    tenants.map((t) => asRecord(t)['id']),
    'tenants',
    'id',
    problems,
  );
  // Feed names are source ids (feed:<name>), shared and tenant feeds alike.
  const feedNames = [
    ...feeds.map((f, index) => ({ name: asRecord(f)['name'], path: `feeds.${index}.name` })),
    ...tenants.flatMap((t, tenantIndex) =>
      asArray(asRecord(t)['feeds']).map((f, index) => ({
        name: asRecord(f)['name'],
        path: `tenants.${tenantIndex}.feeds.${index}.name`,
      })),
    ),
  ];
  const seenFeeds = new Set<unknown>();
  for (const { name, path } of feedNames) {
    if (typeof name !== 'string') continue;
    if (seenFeeds.has(name)) problems.push({ path, message: `duplicate feed name "${name}"` });
    seenFeeds.add(name);
  }
  tenants.forEach((tenant, index) => {
    if (asRecord(tenant)['misp'] !== undefined && root['misp'] === undefined) {
      problems.push({
        path: `tenants.${index}.misp`,
        message: 'a tenant query runs on the top-level misp instance: configure misp too',
      });
    }
    const lists = asArray(asRecord(tenant)['lists']);
    reportDuplicates(
      lists.map((l) => asRecord(l)['file']),
      `tenants.${index}.lists`,
      'file',
      problems,
    );
  });
  return problems;
}

function reportDuplicates(
  values: readonly unknown[],
  path: string,
  key: string,
  problems: ConfigProblem[],
): void {
  const seen = new Set<unknown>();
  values.forEach((value, index) => {
    if (typeof value !== 'string') return;
    if (seen.has(value))
      problems.push({ path: `${path}.${index}.${key}`, message: `duplicate ${key} "${value}"` });
    seen.add(value);
  });
}

// A bad duration is the schema's to report; here it is just not compared.
function durationOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseDuration(value) : null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
