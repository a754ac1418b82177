import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { IocrelayError } from '../errors/iocrelay-error.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { configSchema, type Config } from './config-schema.js';
import { entryProblems, policyProblems } from '../policy/compile-policies.js';
import { formatProblems } from '../render/format-problems.js';
import { feedAuthProblems } from '../serve/feed-auth-problems.js';
import { crossCheck } from './cross-checks.js';
import { interpolateEnv } from './interpolate-env.js';
import { shieldReferences } from './shield-references.js';

/** A validated configuration, frozen, with its secrets read and its paths made absolute. */
export type LoadedConfig = Readonly<Config> & { readonly file: string };

/**
 * Reads, interpolates and validates a configuration file. Every problem is collected and
 * thrown at once as a ConfigError; nothing runs on a bad configuration.
 *
 * @example
 * const config = loadConfig('/etc/iocrelay/iocrelay.yaml', process.env);
 */
export function loadConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LoadedConfig {
  const path = resolve(file);
  const text = readConfigText(path);
  const problems: ConfigProblem[] = [];

  const shielded = shieldReferences(text);
  const document = parseDocument(shielded.text, { prettyErrors: true, uniqueKeys: true });
  for (const error of document.errors) {
    problems.push({ path: '(yaml)', message: `${error.message.split('\n')[0] ?? 'syntax error'}` });
  }
  if (problems.length > 0) throw new ConfigError(path, problems);

  const raw: unknown = shielded.restore(document.toJS() ?? {});
  const interpolated = interpolateEnv(raw, env, problems);
  const baseDir = dirname(path);
  const crossProblems = [
    ...crossCheck(interpolated),
    ...entryProblems(interpolated),
    ...feedAuthProblems(interpolated, baseDir),
  ];
  readSecretFiles(interpolated, baseDir, problems);

  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) {
    // A path already reported (an unset variable) is not reported twice.
    const reported = new Set(problems.map((problem) => problem.path));
    for (const issue of parsed.error.issues) {
      const issuePath = issue.path.join('.');
      if (!reported.has(issuePath))
        problems.push({ path: issuePath, message: describeIssue(issue) });
    }
  }
  problems.push(...crossProblems);
  // Every policy key has a prefault, which the schema's inferred type cannot show.
  const config = parsed.success ? (parsed.data as Config) : null;
  if (config !== null) {
    problems.push(...policyProblems(config), ...formatProblems(config.tenants));
  }
  if (problems.length > 0 || config === null) throw new ConfigError(path, problems);

  return deepFreeze({ ...resolvePaths(config, baseDir), file: path });
}

function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new IocrelayError('CONFIG_NOT_FOUND', { file: path }, { cause: error });
  }
}

// `misp.api_key_file` holds the key in a file (Docker/systemd secrets); it is read here so the
// rest of iocrelay sees one field, and a missing file is a config problem like any other.
function readSecretFiles(tree: unknown, baseDir: string, problems: ConfigProblem[]): void {
  const misp = isRecord(tree) ? tree['misp'] : undefined;
  if (!isRecord(misp) || typeof misp['api_key_file'] !== 'string') return;

  const keyFile = resolve(baseDir, misp['api_key_file']);
  try {
    misp['api_key'] = readFileSync(keyFile, 'utf8').trim();
  } catch {
    problems.push({
      path: 'misp.api_key_file',
      message: `cannot read ${keyFile}; check the path and permissions`,
    });
  }
}

function describeIssue(issue: { code: string; message: string; keys?: readonly string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (a typo? see docs/configuration.md)`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined'))
    return 'is required';
  return issue.message;
}

function resolvePaths(config: Config, baseDir: string): Config {
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

  return {
    ...config,
    database: at(config.database),
    misp: config.misp && {
      ...config.misp,
      ...(config.misp.ca_file ? { ca_file: at(config.misp.ca_file) } : {}),
    },
    feeds: config.feeds.map((feed) => ({
      ...feed,
      url: isUrl(feed.url) ? feed.url : at(feed.url),
      ...(feed.ca_file ? { ca_file: at(feed.ca_file) } : {}),
    })),
    publish: { ...config.publish, dir: at(config.publish.dir) },
    server: {
      ...config.server,
      ...(config.server.tls
        ? {
            tls: {
              cert_file: at(config.server.tls.cert_file),
              key_file: at(config.server.tls.key_file),
            },
          }
        : {}),
    },
    ...(config.warninglists
      ? { warninglists: { ...config.warninglists, dir: at(config.warninglists.dir) } }
      : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
