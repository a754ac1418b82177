import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSyncScheduler } from './sync-scheduler.js';

afterEach(() => vi.useRealTimers());

describe('createSyncScheduler', () => {
  it('runs at once, then the interval plus jitter after each run ends', async () => {
    vi.useFakeTimers();
    const starts: number[] = [];
    const scheduler = createSyncScheduler({
      intervalS: 300,
      random: () => 0.5,
      run: async () => {
        starts.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 20_000));
      },
      onError: () => undefined,
    });

    await vi.advanceTimersByTimeAsync(20_000 + 315_000 - 1);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toHaveLength(2);
    // 20 s of run, then 300 s × (1 + 0.1 × 0.5).
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBe(335_000);
    const stopping = scheduler.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    await stopping;
  });

  it('never overlaps runs, even when one outlasts the interval', async () => {
    vi.useFakeTimers();
    let running = 0;
    let most = 0;
    let runs = 0;
    const scheduler = createSyncScheduler({
      intervalS: 30,
      random: () => 0,
      run: async () => {
        runs++;
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 90_000));
        running--;
      },
      onError: () => undefined,
    });

    await vi.advanceTimersByTimeAsync(599_000);
    expect(most).toBe(1);
    expect(runs).toBe(5); // 0, 120, 240, 360, 480 s
    const stopping = scheduler.stop();
    await vi.advanceTimersByTimeAsync(90_000);
    await stopping;
  });

  it('goes on after a failed run and reports its error', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const scheduler = createSyncScheduler({
      intervalS: 60,
      random: () => 0,
      run: () => Promise.reject(new Error(`run ${++runs} failed`)),
      onError: (error) => errors.push(error),
    });

    await vi.advanceTimersByTimeAsync(120_000);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'run 1 failed',
      'run 2 failed',
      'run 3 failed',
    ]);
    await scheduler.stop();
  });

  it('stop aborts the run in progress, waits for it, and starts no other', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let sawAbort = false;
    const scheduler = createSyncScheduler({
      intervalS: 60,
      run: async (signal) => {
        runs++;
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            setTimeout(resolve, 5_000);
          }),
        );
      },
      onError: () => undefined,
    });

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect([sawAbort, stopped, scheduler.isRunning]).toEqual([true, false, true]);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    await vi.advanceTimersByTimeAsync(600_000);
    expect([runs, stopped, scheduler.isRunning]).toEqual([1, true, false]);
  });

  it('runNow starts a run at once, or waits for the one in progress', async () => {
    vi.useFakeTimers();
    const starts: number[] = [];
    const origin = Date.now();
    const scheduler = createSyncScheduler({
      intervalS: 600,
      random: () => 0,
      run: async () => {
        starts.push(Date.now() - origin);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      },
      onError: () => undefined,
    });

    const during = scheduler.runNow();
    await vi.advanceTimersByTimeAsync(1_000);
    await during;
    expect(starts).toEqual([0]);
    await vi.advanceTimersByTimeAsync(60_000);
    const later = scheduler.runNow();
    await vi.advanceTimersByTimeAsync(1_000);
    await later;
    await vi.advanceTimersByTimeAsync(599_999);
    expect(starts).toEqual([0, 61_000]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([0, 61_000, 662_000]);
    const stopping = scheduler.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
  });
});
