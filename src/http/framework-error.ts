import type { FastifyError } from 'fastify';
import { GatewayError, isGatewayError } from '../spec/index.js';

/** Errors raised by the framework before a handler runs (unreadable or too large body) in the catalog's terms. */
export function toCatalogError(error: FastifyError): GatewayError {
  if (isGatewayError(error)) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('request_too_large', 'The request body is larger than the configured limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', 'The request body is empty; expected a JSON object');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_request', 'The Content-Length header does not match the body');
    default:
      if (error instanceof SyntaxError) return new GatewayError('invalid_json', 'The request body is not valid JSON');
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return new GatewayError('invalid_request', error.message, { status: error.statusCode });
      }
      return new GatewayError('internal_error', 'Internal error', { cause: error });
  }
}
