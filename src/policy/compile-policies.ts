import type { ConfigProblem } from '../config/config-error.js';
import type { Config, TenantConfig } from '../config/config-schema.js';
import type { PolicyOverride } from '../config/policy-schema.js';
import { compileAllowlists } from './allowlist.js';
import { intendedNetworkProblems, type BreadthLimits } from './breadth.js';
import type { TenantPolicy } from './list-policy.js';
import { privateSourceOwners } from '../sources/source-ids.js';
import { compileSelection } from './tenant-selection.js';
import { compileWarninglists } from './warninglists/compile-warninglists.js';
import { loadWarninglists } from './warninglists/load-warninglists.js';
import type { Warninglist } from './warninglists/warninglist.js';

type PolicyConfig = Pick<Config, 'policy' | 'tlp_default' | 'allow' | 'warninglists'> & {
  readonly tenants: readonly TenantConfig[];
};

/**
 * The problems in the policy keys that the schema cannot see: allowlist entries and intended
 * networks that are not IPs, networks, domains or URLs. Reported with the other config
 * problems, each with its path.
 *
 * @example
 * policyProblems(config); // [{ path: 'tenants.0.allow.2', message: '"10.0.0.0/33": …' }]
 */
export function policyProblems(config: PolicyConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [
    ...compileAllowlists([{ entries: config.allow, origin: 'allow' }]).problems,
    ...intendedNetworkProblems(config.policy.breadth.intended, 'policy.breadth.intended'),
  ];
  config.tenants.forEach((tenant, index) => {
    const path = `tenants.${index}`;
    problems.push(
      ...compileAllowlists([{ entries: tenant.allow, origin: `${path}.allow` }]).problems,
    );
    const intended = tenant.policy?.breadth?.intended;
    if (intended !== undefined) {
      problems.push(...intendedNetworkProblems(intended, `${path}.policy.breadth.intended`));
    }
  });
  return problems;
}

/**
 * Compiles every tenant's policy for one run: the warninglists folder is read afresh, so an
 * update of the lists applies at the next run. Throws the warninglist errors (a bad file, an
 * unknown list name) so that nothing is published on a half-applied policy.
 *
 * @example
 * const policies = await compilePolicies(config);
 */
export async function compilePolicies(config: PolicyConfig): Promise<Map<string, TenantPolicy>> {
  const warninglists =
    config.warninglists === undefined ? null : await loadWarninglists(config.warninglists.dir);

  const policies = new Map<string, TenantPolicy>();
  for (const tenant of config.tenants) {
    policies.set(tenant.id, compileTenantPolicy(config, tenant, warninglists));
  }
  return policies;
}

/**
 * One tenant's policy from the config and the loaded warninglists (null: none configured).
 *
 * @example
 * const policy = compileTenantPolicy(config, tenant, null);
 */
export function compileTenantPolicy(
  config: PolicyConfig,
  tenant: TenantConfig,
  warninglists: readonly Warninglist[] | null,
): TenantPolicy {
  const index = config.tenants.indexOf(tenant);
  const { allowlist } = compileAllowlists([
    { entries: config.allow, origin: 'allow' },
    { entries: tenant.allow, origin: `tenants.${index}.allow` },
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
