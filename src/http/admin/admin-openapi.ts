import { z } from 'zod';
import { pathParameterNames, type AdminRouteDocument } from './admin-route.js';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of a zod schema, without its `$schema` line. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type'],
      properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: ['string', 'null'] }, code: { type: ['string', 'null'] } },
    },
  },
};

const errorResponses: Record<string, string> = {
  '400': 'Invalid input: `error.param` names the field at fault.',
  '401': 'Missing, unknown, revoked or expired key or token.',
  '403': "The caller's role, workspace or scopes do not allow this (the message says why).",
  '404': 'No such resource.',
  '409': 'A duplicate name, or a change that conflicts with the resource\'s state.',
  '503': 'A store is unreachable; retry shortly.',
};

function operationOf(route: AdminRouteDocument): Record<string, unknown> {
  const parameters: Array<Record<string, unknown>> = pathParameterNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', minLength: 1 } }));
  if (route.query !== undefined) {
    const query = jsonSchemaOf(route.query, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema: rest, ...(description === undefined ? {} : { description }) });
    }
  }
  const responses: Record<string, unknown> = {
    [String(route.successStatus)]: { description: route.summary, content: { [route.mediaType ?? 'application/json']: { schema: jsonSchemaOf(route.response, 'output') } } },
  };
  for (const [status, description] of Object.entries(errorResponses)) {
    responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    'x-switchyard-scope': route.level,
    ...(parameters.length > 0 ? { parameters } : {}),
    // A body whose every field may be left out may be left out whole (the handlers read a missing body as {}).
    ...(route.body === undefined ? {} : { requestBody: { required: !route.body.safeParse({}).success, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } } }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the admin API, generated from the route table: the request schemas in it are
 * the zod schemas the use cases validate with, so the document cannot drift from what is enforced.
 */
export function buildAdminOpenApiDocument(routes: ReadonlyArray<AdminRouteDocument>, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard admin API',
      version,
      description: 'Organisations, workspaces, teams, users, keys, budgets, limits, policies, secrets and the audit log. Every call is authorised by role and scope and audited.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The master key, a virtual key allowed the /admin/v1 routes, or an agent token with admin scopes.' },
      },
      schemas: { Error: errorSchema },
    },
  };
}
