import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs the real firewall tools (nft, ipset, iptables) on rendered files. Loads happen inside
 * `unshare -rn` (a new user and network namespace), so they never touch the host's firewall
 * and need no root. Every test using a tool probes it first and skips, saying why, when the
 * tool is missing or not permitted here (no root for `nft -c`, user namespaces disabled).
 */

/** What a command printed, and whether it exited 0. */
export interface RunResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** A probe's answer: usable, or the reason a test is skipped. */
export type Probe = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Runs a command without a shell and collects its output.
 *
 * @example
 * run(['nft', '--version']).stdout; // 'nftables v1.0.6 (Lester Gooch #5)\n'
 */
export function run(argv: readonly string[], input?: string): RunResult {
  const [command, ...args] = argv;
  const result = spawnSync(command ?? '', args, { encoding: 'utf8', input, timeout: 20_000 });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    stderr: result.error === undefined ? (result.stderr ?? '') : result.error.message,
  };
}

/**
 * Runs a shell script in a fresh user and network namespace; `$1`, `$2`, … are `files`.
 *
 * @example
 * inNamespace('nft -f "$1" && nft -j list ruleset', ['/tmp/a.nft']);
 */
export function inNamespace(script: string, files: readonly string[] = []): RunResult {
  return run(['unshare', '-rn', 'sh', '-c', script, 'sh', ...files]);
}

/**
 * Whether `tool` exists and `probe` succeeds, with the reason to print when it does not.
 *
 * @example
 * probe('nft', ['unshare', '-rn', 'nft', 'list', 'ruleset']);
 */
export function probe(tool: string, argv: readonly string[]): Probe {
  if (!run(['sh', '-c', `command -v ${tool}`]).ok) {
    return { ok: false, reason: `${tool} is not installed (apt-get install ${packageOf(tool)})` };
  }
  const result = run(argv);
  if (result.ok) return { ok: true };
  const why = result.stderr.trim().split('\n')[0] ?? '';
  return { ok: false, reason: `\`${argv.join(' ')}\` is not permitted here: ${why}` };
}

/**
 * A test title that says why it is skipped.
 *
 * @example
 * titled('nft loads it', { ok: false, reason: 'nft is not installed' });
 * // 'nft loads it (skipped: nft is not installed)'
 */
export function titled(title: string, probed: Probe): string {
  return probed.ok ? title : `${title} (skipped: ${probed.reason})`;
}

/**
 * Writes files into a new temporary folder; returns their paths and a cleanup.
 *
 * @example
 * const { paths, remove } = writeTempFiles({ 'a.nft': text });
 */
export function writeTempFiles(files: Readonly<Record<string, string>>): {
  paths: Record<string, string>;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'iocrelay-fw-'));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, name);
    writeFileSync(join(dir, name), text);
  }
  return { paths, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function packageOf(tool: string): string {
  if (tool.startsWith('ip6tables') || tool.startsWith('iptables')) return 'iptables';
  return tool === 'unshare' ? 'util-linux' : tool === 'nft' ? 'nftables' : tool;
}
