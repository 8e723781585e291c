import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openaiChatDialect } from '../../dialects/openai-chat/index.js';
import type { AdminCall } from '../../governance/admin/admin-dependencies.js';
import { authoriseRoute } from '../../governance/access/route-allowed.js';
import { readPresentedKey } from '../../governance/authenticator.js';
import type { Principal } from '../../governance/principal.js';
import { toGatewayError } from '../../spec/index.js';
import { dialectErrorRenderer, sendError } from '../error-response.js';
import { toCatalogError } from '../framework-error.js';
import { requestIdFor } from '../request-id.js';

/** How the admin routes outside the route table find the caller: as the rest of the admin API does. */
export type AdminAuthenticate = (presentedKey: string | undefined) => Principal | Promise<Principal>;

const render = dialectErrorRenderer(openaiChatDialect);

/**
 * The caller of one admin request: authenticates the key (`Authorization: Bearer` or `x-api-key`) and holds
 * a key to its allowed routes. Throws the refusal in catalog form.
 */
export async function adminCallOf(request: FastifyRequest, authenticate: AdminAuthenticate, requestId: string): Promise<AdminCall> {
  const principal = await authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
  authoriseRoute(principal, request.url.split('?')[0]);
  return { principal, requestId };
}

/**
 * Runs one admin call for a route mounted outside the route table and answers with the status `statusOf`
 * picks, as JSON (an array as an OpenAI-style `{object: 'list', data}`) unless `encode` says otherwise.
 * Errors leave in the OpenAI error shape.
 */
export async function answerAdminCall<Result>(
  request: FastifyRequest,
  reply: FastifyReply,
  authenticate: AdminAuthenticate,
  run: (call: AdminCall) => Promise<Result>,
  statusOf: (result: Result) => number = () => 200,
  encode: (result: Result) => { type: string; body: string | Uint8Array } = jsonBody,
): Promise<FastifyReply> {
  const requestId = requestIdFor(request.headers['x-request-id']);
  try {
    const result = await run(await adminCallOf(request, authenticate, requestId));
    const { type, body } = encode(result);
    return reply.code(statusOf(result)).header('x-request-id', requestId).type(type).send(body);
  } catch (error) {
    return sendError(reply, render, toGatewayError(error), requestId);
  }
}

function jsonBody(result: unknown): { type: string; body: string } {
  return { type: 'application/json', body: JSON.stringify(Array.isArray(result) ? { object: 'list', data: result } : result) };
}

/** Registers a scope whose framework errors (bad JSON, wrong media type) leave in the OpenAI error shape. */
export function registerAdminScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void | Promise<void>): void {
  void app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendError(reply, render, toCatalogError(error), requestIdFor(request.headers['x-request-id'])));
    await routes(scope);
  });
}
