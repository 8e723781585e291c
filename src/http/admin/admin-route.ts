import type { z } from 'zod';
import type { AdminCall, AdminDependencies } from '../../governance/admin/admin-dependencies.js';

/** What a route handler gets: path parameters (validated non-empty), and the raw query and body. */
export interface AdminRouteInput {
  params: Readonly<Record<string, string>>;
  query: unknown;
  body: unknown;
}

/**
 * One operation of the admin API, declared once: the route is registered from it, and the OpenAPI document
 * is generated from it, with the same zod schemas the use case validates its input with.
 */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI form, `/admin/v1/keys/{keyId}`. */
  path: string;
  operationId: string;
  summary: string;
  /** The resource, e.g. `keys` (the OpenAPI tag). */
  tag: string;
  /**
   * Where the resources this route touches live: `workspace` (keys, teams, ... of one workspace) or
   * `organisation` (users, secrets, ...). Published as `x-switchyard-scope`, so tests can enumerate which
   * routes must refuse a caller of another workspace.
   */
  level: 'organisation' | 'workspace';
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success answer's schema. */
  response: z.ZodType;
  successStatus: 200 | 201;
  handle(dependencies: AdminDependencies, call: AdminCall, input: AdminRouteInput): Promise<unknown>;
}

/**
 * What the OpenAPI document says of a route: everything but its handler. Routes mounted outside the route
 * table (streaming, the dashboard's data, traces) carry one in their Fastify route options as
 * `config: { openapi: ... }`; the admin API collects them when they are registered (see `registerAdminApi`).
 */
export type AdminRouteDocument = Omit<AdminRoute, 'handle'> & {
  /** The success answer's media type when it is not JSON (e.g. `application/x-ndjson` for a progress stream). */
  mediaType?: string;
};

/** Fastify route options carrying an OpenAPI entry, for routes outside the route table. */
export function documented(openapi: AdminRouteDocument): { config: { openapi: AdminRouteDocument } } {
  return { config: { openapi } };
}

/** The names of a path's parameters, in order (`/a/{x}/b/{y}` -> x, y). */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

/** Fastify's form of an OpenAPI path (`{keyId}` -> `:keyId`). */
export function toFastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
