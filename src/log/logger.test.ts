import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

const TOKEN = 'metrics-token-that-must-not-leak-42';

function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  createLogger({ destination }).info(fields, 'config loaded');
  const [line = ''] = lines;
  expect(line).not.toContain(TOKEN);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('createLogger redaction of the metrics token', () => {
  it.each([
    ['token', { token: TOKEN }, { token: '[redacted]' }],
    ['metrics.token', { metrics: { token: TOKEN } }, { metrics: { token: '[redacted]' } }],
    [
      'server.metrics.token',
      { server: { metrics: { token: TOKEN, allow: ['127.0.0.1/32'] } } },
      { server: { metrics: { token: '[redacted]', allow: ['127.0.0.1/32'] } } },
    ],
    [
      'config.server.metrics.token',
      { config: { server: { metrics: { token: TOKEN } } } },
      { config: { server: { metrics: { token: '[redacted]' } } } },
    ],
  ])('blanks %s', (_path, fields, expected) => {
    expect(logged(fields)).toMatchObject({ ...expected, msg: 'config loaded' });
  });
});
