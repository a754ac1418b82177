import type { ExplainContext } from '../explain/explain-value.js';
import { compilePolicies } from '../policy/compile-policies.js';
import type { TenantPolicy } from '../policy/list-policy.js';
import { runtimeAllowlist } from '../policy/runtime-allowlist.js';
import { createDirPublisher } from '../publish/dir-publisher.js';
import { rendererOf } from '../render/renderers.js';
import type { ServeContext } from '../serve/serve-extension.js';
import type { Store } from '../store/store.js';

// Compiling reads the warninglists folder: once a minute at most, and again after the
// dashboard changes an allowlist (forget).
const POLICY_TTL_MS = 60_000;

/** Builds the context explainValue needs, with the compiled policies kept a minute. */
export interface ExplainSource {
  context(): Promise<ExplainContext>;
  /** Drops the compiled policies, so the next search sees an allowlist change at once. */
  forget(): void;
}

/**
 * What `iocrelay explain` builds for explainValue, for the dashboard: the policies compiled
 * as the sync compiles them (runtime allowlist included), and the published entries of each
 * list read from the feed server's memory, or from `publish.dir` for a tenant it does not serve.
 *
 * @example
 * const source = createExplainSource(serve, store);
 * const explanation = await explainValue(await source.context(), 'hxxp://bad[.]test');
 */
export function createExplainSource(serve: ServeContext, store: Store): ExplainSource {
  const { config, catalog } = serve;
  const publisher = createDirPublisher(config.publish.dir);
  let cached: { at: number; policies: Map<string, TenantPolicy> } | null = null;

  const readPublished = async (tenant: string, file: string) => {
    const format = config.tenants
      .find((t) => t.id === tenant)
      ?.lists.find((l) => l.file === file)?.format;
    if (format === undefined) return null;
    const content = catalog.get(tenant, file)?.bytes ?? (await publisher.read(tenant, file));
    return content === null ? null : rendererOf(format).entriesOf(content.toString('utf8'));
  };

  return {
    async context() {
      const now = Date.now();
      if (cached === null || now - cached.at > POLICY_TTL_MS) {
        const policies = await compilePolicies(config, {
          runtimeAllowlist: runtimeAllowlist(await store.allowEntries()),
        });
        cached = { at: now, policies };
      }
      return {
        store,
        tenants: config.tenants,
        policies: cached.policies,
        readPublished,
        now: Math.floor(now / 1000),
      };
    },
    forget() {
      cached = null;
    },
  };
}
