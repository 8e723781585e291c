import { performance } from 'node:perf_hooks';
import type { Clock } from '../spec/index.js';
import { onAbort } from './abortable.js';

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        removeListener?.();
        resolve();
      }, ms);
      const removeListener = signal
        ? onAbort(signal, () => {
            clearTimeout(timer);
            reject(signal.reason);
          })
        : undefined;
    }),
};
