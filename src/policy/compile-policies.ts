import type { ConfigProblem } from '../config/config-error.js';
import type { Config, TenantConfig } from '../config/config-schema.js';
import type { PolicyOverride } from '../config/policy-schema.js';
import { Allowlist, compileAllowlists } from './allowlist.js';
import { intendedNetworkProblems, type BreadthLimits } from './breadth.js';
import type { TenantPolicy } from './list-policy.js';
import type { RuntimeAllowlistEntry } from './runtime-allowlist.js';
import { feedSourceId, mispSourceId, privateSourceOwners } from '../sources/source-ids.js';
import { compileSelection } from './tenant-selection.js';
import { compileWarninglists } from './warninglists/compile-warninglists.js';
import { loadWarninglists } from './warninglists/load-warninglists.js';
import type { Warninglist } from './warninglists/warninglist.js';

type PolicyConfig = Pick<Config, 'policy' | 'tlp_default' | 'allow' | 'warninglists'> & {
  readonly tenants: readonly TenantConfig[];
};

/** What a run adds to the configuration's policy. */
export interface PolicyExtras {
  /** The store's active allowlist entries, applied on top of the configured ones. */
  readonly runtimeAllowlist?: readonly RuntimeAllowlistEntry[];
}

/**
 * Problems in the allowlists and intended networks (entries that are not IPs, networks,
 * domains or URLs), read from the raw file so that they are reported with the schema's
 * problems, all at once, each with its path.
 *
 * @example
 * entryProblems(rawYaml); // [{ path: 'tenants.0.allow.2', message: '"10.0.0.0/33": …' }]
 */
export function entryProblems(raw: unknown): ConfigProblem[] {
  const root = asRecord(raw);
  const problems: ConfigProblem[] = [];
  const check = (entries: unknown, origin: string, intended = false) => {
    if (!Array.isArray(entries)) return;
    const texts = entries.map((entry) => (typeof entry === 'string' ? entry.trim() : ''));
    problems.push(
      ...(intended
        ? intendedNetworkProblems(texts, origin)
        : compileAllowlists([{ entries: texts, origin }]).problems
      ).filter((problem) => typeof entries[Number(problem.path.split('.').pop())] === 'string'),
    );
  };

  check(root['allow'], 'allow');
  check(asRecord(asRecord(root['policy'])['breadth'])['intended'], 'policy.breadth.intended', true);
  const tenants = Array.isArray(root['tenants']) ? root['tenants'] : [];
  tenants.forEach((tenant: unknown, index) => {
    const record = asRecord(tenant);
    check(record['allow'], `tenants.${index}.allow`);
    const intended = asRecord(asRecord(record['policy'])['breadth'])['intended'];
    check(intended, `tenants.${index}.policy.breadth.intended`, true);
  });
  return problems;
}

/**
 * Problems across keys of a parsed configuration: owner tags that would hand one tenant the
 * amber indicators of another, and `policy.sources` naming no configured source.
 *
 * @example
 * policyProblems(config); // [{ path: 'tenants.1.owner_tag', message: '…' }]
 */
export function policyProblems(
  config: PolicyConfig & Pick<Config, 'misp' | 'feeds'>,
): ConfigProblem[] {
  const problems = ownerTagProblems(config.tenants);

  const known = [
    ...(config.misp ? [mispSourceId()] : []),
    ...config.feeds.map((feed) => feedSourceId(feed.name)),
    ...privateSourceOwners(config.tenants).keys(),
  ];
  const checkSources = (sources: readonly string[] | undefined, path: string) => {
    sources?.forEach((source, index) => {
      if (!known.includes(source)) {
        problems.push({
          path: `${path}.${index}`,
          message: `"${source}" is no configured source (${known.join(', ')})`,
        });
      }
    });
  };
  checkSources(config.policy.sources, 'policy.sources');
  config.tenants.forEach((tenant, index) =>
    checkSources(tenant.policy?.sources, `tenants.${index}.policy.sources`),
  );
  return problems;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Compiles every tenant's policy for one run: the warninglists folder is read afresh, so an
 * update of the lists applies at the next run. Throws the warninglist errors (a bad file, an
 * unknown list name) so that nothing is published on a half-applied policy. Runtime allowlist
 * entries (from the store) join the global or their tenant's configured ones.
 *
 * @example
 * const policies = await compilePolicies(config, {
 *   runtimeAllowlist: runtimeAllowlist(await store.allowEntries()),
 * });
 */
export async function compilePolicies(
  config: PolicyConfig,
  extras: PolicyExtras = {},
): Promise<Map<string, TenantPolicy>> {
  const warninglists =
    config.warninglists === undefined ? null : await loadWarninglists(config.warninglists.dir);

  const policies = new Map<string, TenantPolicy>();
  for (const tenant of config.tenants) {
    const runtime = extras.runtimeAllowlist?.filter(
      (entry) => entry.tenant === null || entry.tenant === tenant.id,
    );
    policies.set(tenant.id, compileTenantPolicy(config, tenant, warninglists, runtime));
  }
  return policies;
}

/**
 * One tenant's policy from the config, the loaded warninglists (null: none configured) and the
 * runtime allowlist entries that apply to it.
 *
 * @example
 * const policy = compileTenantPolicy(config, tenant, null);
 */
export function compileTenantPolicy(
  config: PolicyConfig,
  tenant: TenantConfig,
  warninglists: readonly Warninglist[] | null,
  runtimeAllowlist: readonly RuntimeAllowlistEntry[] = [],
): TenantPolicy {
  const index = config.tenants.indexOf(tenant);
  const configured = compileAllowlists([
    { entries: config.allow, origin: 'allow' },
    { entries: tenant.allow, origin: `tenants.${index}.allow` },
  ]).allowlist;
  // Configured entries first: where both cover a name, the detail names the file's entry.
  const allowlist =
    runtimeAllowlist.length === 0
      ? configured
      : new Allowlist([
          ...configured.entries,
          ...runtimeAllowlist.map(({ path, kind, value }) => ({ path, kind, value })),
        ]);
  const names = tenant.warninglists ?? config.warninglists?.lists;
  const privateSources = privateSourceOwners(config.tenants);

  return {
    tenant: tenant.id,
    selection: compileSelection(
      tenant.id,
      tenant.owner_tag ?? null,
      config.tlp_default,
      config.policy,
      tenant.policy,
      privateSources,
      config.tenants.flatMap((t) => (t.owner_tag === undefined ? [] : [t.owner_tag])),
    ),
    warninglists:
      warninglists === null
        ? null
        : compileWarninglists(warninglists, names === undefined ? {} : { names }),
    allowlist,
    breadth: breadthOf(config.policy.breadth, tenant.policy),
  };
}

function breadthOf(
  defaults: Config['policy']['breadth'],
  own: PolicyOverride | undefined,
): BreadthLimits {
  return {
    maxIpv4Prefix: own?.breadth?.max_ipv4_prefix ?? defaults.max_ipv4_prefix,
    maxIpv6Prefix: own?.breadth?.max_ipv6_prefix ?? defaults.max_ipv6_prefix,
    intendedNetworks: own?.breadth?.intended ?? defaults.intended,
  };
}

// An owner tag hands TLP:AMBER indicators to its tenant: two tenants sharing one (in any case)
// would each get the other's, and a TLP tag as owner tag would take every customer's.
function ownerTagProblems(tenants: readonly TenantConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, string>();
  tenants.forEach((tenant, index) => {
    if (tenant.owner_tag === undefined) return;
    const path = `tenants.${index}.owner_tag`;
    const tag = tenant.owner_tag.trim().toLowerCase();
    if (tag.startsWith('tlp:')) {
      problems.push({
        path,
        message: `"${tenant.owner_tag}" is a TLP tag, not an owner: name the customer (e.g. customer:${tenant.id})`,
      });
    }
    const other = seen.get(tag);
    if (other !== undefined) {
      problems.push({
        path,
        message: `"${tenant.owner_tag}" is already the owner tag of tenant ${other} (tags compare without case): each tenant needs its own`,
      });
    }
    seen.set(tag, tenant.id);
  });
  return problems;
}
