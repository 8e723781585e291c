/**
 * Every error the gateway can return, with its HTTP status, whether retrying the same request can help,
 * and how the OpenAI and Anthropic dialects name it. `docs/errors.md` lists the same codes; a test keeps
 * the two in step.
 */
export const errorCatalog = {
  invalid_json: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The body is not valid JSON.' },
  invalid_request: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The body does not match the API schema (a wrong type, a missing field).' },
  unsupported_parameter: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The request asks for something the chosen provider cannot do.' },
  context_length_exceeded: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: "The prompt does not fit the model's context window (and no fallback could take it)." },
  content_filtered: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: "The provider's content filter blocked the request." },
  authentication_failed: { status: 401, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'authentication_error', summary: 'The API key is missing, unknown or revoked.' },
  permission_denied: { status: 403, retryable: false, openaiType: 'permission_error', anthropicType: 'permission_error', summary: 'The key may not use this model or endpoint.' },
  not_found: { status: 404, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'not_found_error', summary: 'No such route or resource.' },
  model_not_found: { status: 404, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'not_found_error', summary: 'No configured provider serves this model name.' },
  method_not_allowed: { status: 405, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The route exists but not for this HTTP method.' },
  conflict: { status: 409, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The resource already exists (a duplicate name) or changed meanwhile.' },
  guardrail_blocked: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'A guardrail blocked the request or the answer (the message names the guardrail and what it found, never the value; see docs/guardrails.md).' },
  guardrail_failed: { status: 503, retryable: true, openaiType: 'server_error', anthropicType: 'api_error', summary: 'A guardrail with fail mode `closed` failed or ran out of its time budget, so the request is refused rather than let through unchecked.' },
  policy_denied: { status: 403, retryable: false, openaiType: 'permission_error', anthropicType: 'permission_error', summary: 'A policy refused the request before the call (the message names the policy and rule).' },
  service_unavailable: { status: 503, retryable: true, openaiType: 'server_error', anthropicType: 'overloaded_error', summary: 'A store the gateway needs (Redis, PostgreSQL) is unreachable, so limits and budgets cannot be enforced; the request is refused rather than let through.' },
  request_too_large: { status: 413, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'request_too_large', summary: 'The body is over the configured size limit.' },
  unsupported_media_type: { status: 415, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The body is not application/json.' },
  rate_limited: { status: 429, retryable: true, openaiType: 'requests', anthropicType: 'rate_limit_error', summary: 'A rate limit was hit; retry after the time in `retry-after`.' },
  budget_exceeded: { status: 429, retryable: false, openaiType: 'insufficient_quota', anthropicType: 'rate_limit_error', summary: 'A budget is spent; retrying will not help until it resets or is raised.' },
  upstream_rate_limited: { status: 429, retryable: true, openaiType: 'requests', anthropicType: 'rate_limit_error', summary: 'Every provider that could serve the model answered 429.' },
  internal_error: { status: 500, retryable: true, openaiType: 'server_error', anthropicType: 'api_error', summary: 'A bug in the gateway; the request id finds it in the logs.' },
  upstream_error: { status: 502, retryable: true, openaiType: 'server_error', anthropicType: 'api_error', summary: 'The provider answered with a server error.' },
  upstream_bad_response: { status: 502, retryable: true, openaiType: 'server_error', anthropicType: 'api_error', summary: 'The provider answered something that is not its documented wire format.' },
  upstream_connection_error: { status: 502, retryable: true, openaiType: 'server_error', anthropicType: 'api_error', summary: 'The connection to the provider failed or was reset.' },
  upstream_unavailable: { status: 503, retryable: true, openaiType: 'server_error', anthropicType: 'overloaded_error', summary: 'The provider is overloaded or unavailable (503, 529), or every deployment is cooling down.' },
  no_provider_configured: { status: 503, retryable: false, openaiType: 'server_error', anthropicType: 'api_error', summary: 'The gateway has no provider at all; see the README to add one.' },
  upstream_timeout: { status: 504, retryable: true, openaiType: 'server_error', anthropicType: 'timeout_error', summary: 'The provider did not connect, start or finish within the configured timeout.' },
  upstream_rejected: { status: 400, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: "The provider rejected the request as invalid (its message is passed on)." },
  upstream_authentication_failed: { status: 502, retryable: false, openaiType: 'server_error', anthropicType: 'api_error', summary: "The provider refused the gateway's credentials (a configuration problem, not the client's)." },
  client_closed_request: { status: 499, retryable: false, openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error', summary: 'The client went away before the answer was complete (recorded in the ledger only).' },
} as const satisfies Record<string, ErrorCatalogEntry>;

/** One catalog entry. */
export interface ErrorCatalogEntry {
  status: number;
  retryable: boolean;
  /** OpenAI `error.type`. */
  openaiType: string;
  /** Anthropic `error.type`. */
  anthropicType: string;
  summary: string;
}

/** A catalog code, e.g. `rate_limited`. */
export type ErrorCode = keyof typeof errorCatalog;
