import { spawnSync } from 'node:child_process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBatchedDestination } from './batched-destination.js';
import { createLogger } from './logger.js';

function recorder(): { writes: string[]; target: { write(batch: string): void } } {
  const writes: string[] = [];
  return { writes, target: { write: (batch: string) => void writes.push(batch) } };
}

// Runs a module in a fresh node that logs through the default (stderr) destination.
function runLogging(body: string): { status: number | null; stderr: string } {
  const code = `import { createLogger } from './src/log/logger.ts';\nconst log = createLogger();\n${body}`;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { status: child.status, stderr: child.stderr };
}

function messagesOf(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

describe('createBatchedDestination', () => {
  it('writes the lines of one turn as one write, in order, when the turn ends', async () => {
    const { writes, target } = recorder();
    const log = createLogger({ destination: createBatchedDestination(target) });

    log.info('first');
    log.warn('second');
    log.error('third');
    expect(writes).toEqual([]);
    await nextTurn();

    expect(writes).toHaveLength(1);
    expect(messagesOf(writes[0] ?? '')).toEqual(['first', 'second', 'third']);
    log.info('next turn');
    await nextTurn();
    expect(writes.map(messagesOf)).toEqual([['first', 'second', 'third'], ['next turn']]);
  });

  it('writes at once when a turn gathers 64 KiB, and on logger.flush()', () => {
    const { writes, target } = recorder();
    const destination = createBatchedDestination(target);
    const log = createLogger({ destination });

    const long = 'x'.repeat(1000);
    for (let i = 0; i < 70; i++) log.info({ long, i }, 'bulk');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.length).toBeGreaterThanOrEqual(64 * 1024);

    log.info('flushed');
    log.flush();
    expect(writes).toHaveLength(2);
    expect(messagesOf(writes[1] ?? '').at(-1)).toBe('flushed');
    expect(messagesOf(writes.join('')).filter((msg) => msg === 'bulk')).toHaveLength(70);
  });
});

describe('the default stderr destination', () => {
  it('writes lines logged just before process.exit', () => {
    const { status, stderr } = runLogging(
      "log.info('one');\nlog.error('two');\nprocess.exit(3);\n",
    );

    expect(status).toBe(3);
    expect(messagesOf(stderr)).toEqual(['one', 'two']);
  });

  it('writes lines logged just before an uncaught exception', () => {
    const { status, stderr } = runLogging(
      "log.fatal('about to fail');\nthrow new Error('boom');\n",
    );

    expect(status).toBe(1);
    expect(messagesOf(stderr)).toEqual(['about to fail']);
    expect(stderr).toContain('Error: boom');
  });
});
