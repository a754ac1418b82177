import type { ConfigProblem } from './config-error.js';

// `${NAME}` or `${NAME:-fallback}`; `$${` stays a literal `${`.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` in every string of a parsed YAML tree with the environment's value.
 * It works on parsed values, not on the file text, so a value can never inject YAML.
 * Unset variables without a fallback are reported at their path; the value is never echoed.
 *
 * @example
 * interpolateEnv({ url: '${MISP_URL}' }, { MISP_URL: 'https://misp.example' }, problems);
 */
export function interpolateEnv(
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  path: readonly (string | number)[] = [],
): unknown {
  if (typeof node === 'string') return interpolateString(node, env, problems, path);

  if (Array.isArray(node)) {
    return node.map((item: unknown, index) =>
      interpolateEnv(item, env, problems, [...path, index]),
    );
  }

  if (node !== null && typeof node === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      result[key] = interpolateEnv(value, env, problems, [...path, key]);
    }
    return result;
  }

  return node;
}

function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
  path: readonly (string | number)[],
): string {
  return text.replace(
    REFERENCE,
    (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${';
      if (name === undefined) return match;

      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;

      problems.push({
        path: path.join('.'),
        message: `environment variable ${name} is not set; export it, or use \${${name}:-default}`,
      });
      return '';
    },
  );
}
