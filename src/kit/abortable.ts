import { EventEmitter } from 'node:events';

/**
 * An AbortController with a cheap way to be told of the abort. On Node 20 every `addEventListener` on an
 * AbortSignal costs several microseconds, and a request adds a few (the HTTP client, attempt deadlines); an
 * EventEmitter listener costs a tenth of that. Code that only reads `signal.aborted` / `signal.reason` keeps
 * using the plain AbortSignal; code that must react uses {@link onAbort}, which takes the fast route for
 * signals made here and the standard one for any other.
 */
export class Abortable extends EventEmitter {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Read by undici, which accepts an EventEmitter with `aborted` / `reason` as a request signal. */
  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  get reason(): unknown {
    return this.controller.signal.reason;
  }

  abort(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.emit('abort');
  }
}

const abortables = new WeakMap<AbortSignal, Abortable>();

/** A new {@link Abortable}, registered so that {@link onAbort} finds it from its signal. */
export function createAbortable(): Abortable {
  const abortable = new Abortable();
  abortables.set(abortable.signal, abortable);
  return abortable;
}

/** Calls `listener` once when `signal` aborts; returns the function that removes it. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  const abortable = abortables.get(signal);
  if (abortable !== undefined) {
    abortable.once('abort', listener);
    return () => abortable.removeListener('abort', listener);
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** What to hand undici as a request signal: the cheap emitter when there is one. */
export function httpClientSignal(signal: AbortSignal | undefined): AbortSignal | Abortable | undefined {
  if (signal === undefined) return undefined;
  return abortables.get(signal) ?? signal;
}
