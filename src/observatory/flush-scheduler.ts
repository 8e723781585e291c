/** Runs a callback after a delay; returns a function that cancels it. Injected so tests drive time. */
export interface FlushScheduler {
  schedule(callback: () => void, delayMs: number): () => void;
}

/** The real scheduler. Its timers are `unref()`ed: a pending flush never keeps the process alive. */
export const unrefTimerScheduler: FlushScheduler = {
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
