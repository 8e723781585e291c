import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openaiChatDialect } from '../../dialects/openai-chat/index.js';
import { authoriseModelPull, deleteProvider, enableProvider, enableProviderSchema, listProviders, providerViewSchema, pullModelSchema, type ProviderAdminDependencies } from '../../governance/admin/provider-admin.js';
import { deletedSchema, listOf } from '../../governance/admin/admin-schemas.js';
import { documented } from './admin-route.js';
import type { AdminCall } from '../../governance/admin/admin-dependencies.js';
import type { Principal } from '../../governance/principal.js';
import { pullModelThrough, type ModelPullProgress } from '../../gateway/live-provider-set.js';
import { GatewayError, toGatewayError, type Clock, type Logger, type UpstreamClient } from '../../spec/index.js';
import { dialectErrorRenderer, sendError, withoutSecrets } from '../error-response.js';
import { requestIdFor } from '../request-id.js';
import { adminCallOf, answerAdminCall, registerAdminScope } from './admin-call-answer.js';
import { z } from 'zod';

/** What the provider routes need from the composition root. */
export interface ProviderRouteDependencies extends ProviderAdminDependencies {
  /** The caller's principal, as for the rest of the admin API (a GatewayError when refused). */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
  /** The gateway's upstream HTTP client, clock and logger, for model pulls. */
  upstream: { http: UpstreamClient; clock: Clock; logger: Logger };
}

const render = dialectErrorRenderer(openaiChatDialect);

/** One line of a pull's NDJSON stream: progress, the final `success`, or an error in the OpenAI shape. */
const pullProgressLineSchema = z.union([
  z.object({ status: z.string(), digest: z.string().optional(), total: z.number().optional(), completed: z.number().optional() }),
  z.object({ error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable().optional() }) }),
]);
const base = '/admin/v1/providers';

/**
 * Mounts the provider routes of the admin API: `GET /admin/v1/providers`, `POST /admin/v1/providers`
 * (enable), `DELETE /admin/v1/providers/{name}` (stored ones) and `POST /admin/v1/providers/{name}/pull`,
 * which streams the server's download progress as NDJSON lines `{status, digest?, total?, completed?}`
 * ending with `{"status":"success"}` or an `{"error": {...}}` line (OpenAI error shape). Errors before the
 * stream starts are ordinary OpenAI-shaped error answers.
 */
export function registerProviderAdminRoutes(app: FastifyInstance, dependencies: ProviderRouteDependencies): void {
  registerAdminScope(app, (scope) => {
    const common = { tag: 'providers', level: 'organisation' } as const;
    scope.get(base, documented({ ...common, method: 'GET', path: base, operationId: 'listProviders', summary: 'List the providers the gateway calls (from the config, the environment and enabled at run time)', response: listOf(providerViewSchema), successStatus: 200 }), (request, reply) =>
      answer(request, reply, dependencies, 200, (call) => listProviders(dependencies, call)),
    );
    scope.post(base, documented({ ...common, method: 'POST', path: base, operationId: 'enableProvider', summary: 'Enable a provider (credentials as secret references)', body: enableProviderSchema, response: providerViewSchema, successStatus: 201 }), (request, reply) =>
      answer(request, reply, dependencies, 201, (call) => enableProvider(dependencies, call, request.body ?? {})),
    );
    scope.delete(`${base}/:name`, documented({ ...common, method: 'DELETE', path: `${base}/{name}`, operationId: 'deleteProvider', summary: 'Remove a provider enabled at run time', response: deletedSchema, successStatus: 200 }), (request, reply) =>
      answer(request, reply, dependencies, 200, (call) => deleteProvider(dependencies, call, nameParameter(request))),
    );
    scope.post(
      `${base}/:name/pull`,
      documented({ ...common, method: 'POST', path: `${base}/{name}/pull`, operationId: 'pullModel', summary: "Download a model onto a self-hosted provider's server, streaming progress as NDJSON lines", body: pullModelSchema, response: pullProgressLineSchema, successStatus: 200, mediaType: 'application/x-ndjson' }),
      (request, reply) => pull(request, reply, dependencies),
    );
  });
}

function answer(request: FastifyRequest, reply: FastifyReply, dependencies: ProviderRouteDependencies, status: 200 | 201, run: (call: AdminCall) => Promise<unknown>): Promise<FastifyReply> {
  return answerAdminCall(request, reply, (key) => dependencies.authenticate(key), run, () => status);
}

async function pull(request: FastifyRequest, reply: FastifyReply, dependencies: ProviderRouteDependencies): Promise<FastifyReply | undefined> {
  const requestId = requestIdFor(request.headers['x-request-id']);
  const aborter = new AbortController();
  let progress: AsyncIterator<ModelPullProgress>;
  let first: IteratorResult<ModelPullProgress>;
  try {
    const call = await adminCallOf(request, (key) => dependencies.authenticate(key), requestId);
    const { instance, model } = await authoriseModelPull(dependencies, call, nameParameter(request), request.body ?? {});
    // The caller hanging up stops the download request (the server may finish the layer it is on).
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) aborter.abort(new GatewayError('client_closed_request', 'The client closed the connection'));
    });
    const { http, clock, logger } = dependencies.upstream;
    progress = pullModelThrough(instance, model, { http, clock, logger, signal: aborter.signal })[Symbol.asyncIterator]();
    // Wait for the server's first line, so a refusal (unknown model, server down) is an ordinary error answer.
    first = await progress.next();
  } catch (error) {
    return sendError(reply, render, toGatewayError(error), requestId);
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache', 'x-request-id': requestId });
  const write = (value: unknown) => raw.write(`${JSON.stringify(value)}\n`);
  try {
    for (let next = first; !next.done; next = await progress.next()) write(next.value);
  } catch (error) {
    if (!aborter.signal.aborted) write(render(withoutSecrets(toGatewayError(error)), requestId).body);
  }
  raw.end();
  return undefined;
}

function nameParameter(request: FastifyRequest): string {
  const name = (request.params as { name?: string }).name;
  if (name === undefined || name.trim() === '') throw new GatewayError('invalid_request', 'name: must not be empty', { param: 'name' });
  return name;
}
