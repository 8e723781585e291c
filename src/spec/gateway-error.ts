import { errorCatalog, type ErrorCode } from './error-catalog.js';

/** Options of a {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** Overrides the catalog's status (e.g. to pass on the provider's exact 4xx). */
  status?: number;
  /** Overrides the catalog's retryability. */
  retryable?: boolean;
  /** Seconds the client should wait before retrying (sent as `retry-after` / `retry-after-ms`). */
  retryAfterSeconds?: number;
  /** The request field at fault (OpenAI `error.param`). */
  param?: string;
  /** The provider's own status code, when the error came from upstream. */
  upstreamStatus?: number;
  /** The provider's own error type or code, kept for the ledger. */
  upstreamCode?: string;
  /** Extra response headers (the `x-ratelimit-*` state with a 429). */
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

/**
 * The one error class of the gateway. Everything that fails, in any domain, ends as a GatewayError with a
 * catalog code; dialects render it in their client's wire shape. Messages never contain secrets.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly param?: string;
  readonly upstreamStatus?: number;
  readonly upstreamCode?: string;
  readonly headers?: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = errorCatalog[code];
    this.code = code;
    this.status = options.status ?? entry.status;
    this.retryable = options.retryable ?? entry.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
    this.headers = options.headers;
  }
}

/** True for a {@link GatewayError} (also across module copies, by duck typing on `code`). */
export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError || (value instanceof Error && value.name === 'GatewayError' && 'code' in value);
}

/** Wraps anything thrown into a GatewayError, keeping GatewayErrors as they are. */
export function toGatewayError(value: unknown): GatewayError {
  if (isGatewayError(value)) return value;
  return new GatewayError('internal_error', 'Internal error', { cause: value });
}
