import { z } from 'zod';
import { configSchema } from './config-schema.js';

interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly items?: JsonSchemaNode;
  readonly required?: readonly string[];
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly minimum?: number;
  readonly maximum?: number;
}

/**
 * docs/configuration.md, generated from the schema that validates the file, so the reference
 * cannot drift from the code (a test compares the two; `npm run docs:config` rewrites it).
 *
 * @example
 * writeFileSync('docs/configuration.md', renderConfigReference());
 */
export function renderConfigReference(): string {
  const root = z.toJSONSchema(configSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchemaNode;
  const rows: string[] = [];
  walk(root, '', new Set(root.required ?? []), rows);

  return [
    '# Configuration reference',
    '',
    'Generated from `src/config/config-schema.ts` by `npm run docs:config`; do not edit by hand.',
    '',
    'The file is YAML. Any string may use `${VAR}` (or `${VAR:-default}`) to take a value from the',
    'environment; `$${` writes a literal `${`. Relative paths are resolved against the folder of the',
    'configuration file. Unknown keys are errors. `iocrelay check-config` lists every problem at once.',
    'Durations are seconds or a number with a unit: `30s`, `5m`, `24h`, `7d`.',
    '',
    '| key | type | default | description | example |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function walk(
  node: JsonSchemaNode,
  path: string,
  required: ReadonlySet<string>,
  rows: string[],
): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path === '' ? key : `${path}.${key}`;
    rows.push(row(childPath, child, required.has(key)));

    if (child.properties) walk(child, childPath, new Set(child.required ?? []), rows);
    if (child.items?.properties)
      walk(child.items, `${childPath}[]`, new Set(child.items.required ?? []), rows);
  }
}

function row(path: string, node: JsonSchemaNode, isRequired: boolean): string {
  const defaultText =
    node.default === undefined ? (isRequired ? '*required*' : '') : code(node.default);
  const example = node.examples?.[0] === undefined ? '' : code(node.examples[0]);
  return `| \`${path}\` | ${typeOf(node)} | ${defaultText} | ${escape(node.description ?? '')} | ${example} |`;
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (Array.isArray(node.type) && node.type.join() === 'number,string') return 'duration';
  if (node.type === 'array') {
    const items = node.items;
    if (items?.enum)
      return `list of ${items.enum.map((value) => `\`${String(value)}\``).join(', ')}`;
    return `list of ${items?.type === 'object' ? 'objects' : String(items?.type ?? 'values')}`;
  }
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : String(node.type ?? 'any');
  if (node.minimum !== undefined && node.maximum !== undefined && node.maximum < 1e15) {
    return `${type} (${node.minimum} to ${node.maximum})`;
  }
  return type;
}

function code(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? '(see description)' : `\`${escape(text)}\``;
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|');
}
