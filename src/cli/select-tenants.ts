import type { LoadedConfig } from '../config/load-config.js';
import { EXIT } from './exit-codes.js';

type Tenant = LoadedConfig['tenants'][number];

/**
 * The tenants a command's `--tenant` names: all of them when the flag is left out, else the
 * one with that id. An id the configuration does not have is a usage error: it is printed,
 * the exit code set, and null returned.
 *
 * @example
 * const tenants = selectTenants(config, flags.tenant, setExitCode);
 * if (tenants === null) return;
 */
export function selectTenants(
  config: Pick<LoadedConfig, 'tenants' | 'file'>,
  tenant: string | undefined,
  setExitCode: (code: number) => void,
): Tenant[] | null {
  const tenants = config.tenants.filter((t) => tenant === undefined || t.id === tenant);
  if (tenants.length > 0) return tenants;

  process.stderr.write(`error TENANT_UNKNOWN: no tenant "${tenant}" in ${config.file}\n`);
  setExitCode(EXIT.USAGE);
  return null;
}
