import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { hashPassword } from '../src/serve/password-hash.js';
import { createSelfSignedCert } from './support/self-signed-cert.js';

const RUNNER = fileURLToPath(new URL('./support/run-cli.ts', import.meta.url));
const DEMO_FEED = fileURLToPath(new URL('../demo/feed', import.meta.url));
const PASSWORD = 'admin-password-for-the-cli-test';

let child: ChildProcess | undefined;
let dir = '';
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('iocrelay serve with ui (CLI, HTTPS)', () => {
  it('serves /ui with a Secure session cookie and logs the login without the password', async () => {
    dir = mkdtempSync(join(tmpdir(), 'iocrelay-ui-cli-'));
    cpSync(DEMO_FEED, join(dir, 'feed'), { recursive: true });
    const cert = createSelfSignedCert(dir, 'IP:127.0.0.1', 'serve');
    writeFileSync(
      join(dir, 'iocrelay.yaml'),
      `feeds: [{ name: demo, url: ./feed }]
server: { listen: 127.0.0.1:0, tls: { cert_file: ${cert.certFile}, key_file: ${cert.keyFile} } }
ui: { admins: [{ username: alice, password_hash: '${await hashPassword(PASSWORD)}' }] }
tenants: [{ id: acme, lists: [{ file: ip.txt, types: [ip] }] }]
`,
    );
    child = spawn(
      process.execPath,
      ['--import', 'tsx', RUNNER, 'serve', '--config', join(dir, 'iocrelay.yaml')],
      { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await until(() => /serving lists at (\S+)\/feeds/.exec(stdout)?.[1] ?? null);
    const dispatcher = new Agent({ connect: { ca: cert.cert } });
    expect(url).toMatch(/^https:/);

    const form = await request(`${url}/ui/login`, { dispatcher });
    const loginCookie = String(form.headers['set-cookie']).split(';')[0] ?? '';
    const token = /name="csrf" value="([^"]+)"/.exec(await form.body.text())?.[1] ?? '';
    const login = await request(`${url}/ui/login`, {
      dispatcher,
      method: 'POST',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token, username: 'alice', password: PASSWORD }).toString(),
    });
    await login.body.dump();
    const setCookie = [login.headers['set-cookie'] ?? []]
      .flat()
      .find((c) => c.startsWith('iocrelay_ui='));

    expect(login.statusCode).toBe(303);
    expect(setCookie?.split('; ').slice(1)).toEqual([
      'Max-Age=28800',
      'Path=/ui',
      'HttpOnly',
      'Secure',
      'SameSite=Strict',
    ]);
    const page = await request(`${url}/ui/`, {
      dispatcher,
      headers: { cookie: setCookie?.split(';')[0] ?? '' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(await page.body.text()).toContain('<h1>Overview</h1>');

    const messages = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; username?: string; component?: string });
    expect(messages).toContainEqual(
      expect.objectContaining({ msg: 'dashboard login', username: 'alice', component: 'ui' }),
    );
    expect(stderr).not.toContain(PASSWORD);
    await dispatcher.close();
  });
});

async function until<T>(probe: () => T | null, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
