import { GatewayError } from '../spec/index.js';
import { createAbortable, onAbort } from '../kit/abortable.js';

/**
 * The signal of one attempt: aborted by the request's signal (client gone, total timeout) or by the
 * attempt's own first-token deadline. `commit()` clears the deadline once the first token arrived.
 */
export interface AttemptSignal {
  signal: AbortSignal;
  commit(): void;
  /** Clears the deadline and detaches from the request signal (the attempt failed or finished). */
  dispose(): void;
}

/** Creates an attempt signal with a first-token deadline of `firstTokenMs`. */
export function createAttemptSignal(requestSignal: AbortSignal, firstTokenMs: number): AttemptSignal {
  const controller = createAbortable();
  let removeListener: (() => void) | undefined;
  if (requestSignal.aborted) controller.abort(requestSignal.reason);
  else removeListener = onAbort(requestSignal, () => controller.abort(requestSignal.reason));
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    timer = undefined;
    controller.abort(new GatewayError('upstream_timeout', `The provider sent nothing within ${firstTokenMs} ms`));
  }, firstTokenMs);
  return {
    signal: controller.signal,
    commit() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      removeListener?.();
    },
  };
}
