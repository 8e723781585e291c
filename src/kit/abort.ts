import { GatewayError } from '../spec/index.js';

/** The GatewayError an aborted signal stands for: its reason if it is one, else "client closed". */
export function abortError(signal: AbortSignal): GatewayError {
  const reason = signal.reason;
  if (reason instanceof GatewayError) return reason;
  return new GatewayError('client_closed_request', 'The client closed the request');
}
