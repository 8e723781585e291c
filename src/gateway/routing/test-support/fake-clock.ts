import type { Clock } from '../../../spec/index.js';

/**
 * A clock for tests: time moves only when told to, and `sleep` resolves at once after moving time forward by
 * the slept amount, recording it in `sleeps`. `beforeSleep` runs first, so a test can abort mid-wait.
 */
export class FakeClock implements Clock {
  #now: number;
  #monotonic = 0;
  readonly sleeps: number[] = [];
  beforeSleep?: (ms: number) => void;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  monotonic(): number {
    return this.#monotonic;
  }

  advance(ms: number): void {
    this.#now += ms;
    this.#monotonic += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    this.beforeSleep?.(ms);
    if (signal?.aborted) throw signal.reason;
    this.advance(ms);
  }
}
