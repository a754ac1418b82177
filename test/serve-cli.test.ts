import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/serve/password-hash.js';

const RUNNER = fileURLToPath(new URL('./support/run-cli.ts', import.meta.url));
const DEMO_FEED = fileURLToPath(new URL('../demo/feed', import.meta.url));
const TOKEN = 'acme-feed-token-0123456789abcdef';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function collect(stream: NodeJS.ReadableStream | null): { text: () => string } {
  let text = '';
  stream?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text };
}

async function until<T>(probe: () => Promise<T | null> | T | null, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('iocrelay serve (CLI)', () => {
  it('serves the synced lists, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iocrelay-serve-cli-'));
    cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
    writeFileSync(
      join(dir, 'iocrelay.yaml'),
      `feeds: [{ name: demo, url: ./feed }]
server: { listen: 127.0.0.1:0 }
policy: { expiry: { ip: never, domain: never, url: never } }
tenants:
  - id: acme
    feed_auth: { tokens: [\${ACME_TOKEN}] }
    lists: [{ file: ip.txt, types: [ip] }]
`,
    );
    child = spawnCli(['serve', '--config', join(dir, 'iocrelay.yaml')], { ACME_TOKEN: TOKEN });
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    const exited = new Promise<number | null>((resolve) => child?.on('close', resolve));

    const url = await until(() => /serving lists at (\S+)\/feeds/.exec(stdout.text())?.[1] ?? null);
    const body = await until(async () => {
      const answer = await request(`${url}/feeds/acme/ip.txt`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const text = await answer.body.text();
      return answer.statusCode === 200 ? text : null;
    });
    child.kill('SIGTERM');

    expect(body).toContain('198.51.100.23\n');
    expect(await exited).toBe(0);
    const messages = stderr
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(
      expect.arrayContaining(['sync finished', 'serve stopping', 'serve stopped']),
    );
    expect(stderr.text()).not.toContain(TOKEN);

    // The fetch was written to the fetch log before the process exited.
    const status = spawnCli(['status', '--config', join(dir, 'iocrelay.yaml'), '--json'], {
      ACME_TOKEN: TOKEN,
    });
    const statusOut = collect(status.stdout);
    expect(await new Promise((resolve) => status.on('close', resolve))).toBe(0);
    const report = JSON.parse(statusOut.text()) as {
      tenants: {
        tenant: string;
        lists: {
          list: string;
          devices: { device: string; lastStatus: number; clientIp: string }[];
        }[];
      }[];
    };
    const devices = report.tenants.find((t) => t.tenant === 'acme')?.lists[0]?.devices ?? [];
    expect(devices).toEqual([
      expect.objectContaining({ device: 'token#1', lastStatus: 200, clientIp: '127.0.0.1' }),
    ]);
  });

  it('hash-password reads stdin and prints a hash that verifies', async () => {
    child = spawnCli(['hash-password']);
    const stdout = collect(child.stdout);
    const exited = new Promise<number | null>((resolve) => child?.on('close', resolve));
    child.stdin?.end('a-long-feed-password\n');

    expect(await exited).toBe(0);
    const hash = stdout.text().trim();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('a-long-feed-password', hash)).toBe(true);
    expect(await verifyPassword('a-long-feed-passwor', hash)).toBe(false);
  });
});
