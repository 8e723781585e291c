import { z } from 'zod';
import { identifierSchema, llmSettingsSchema, nameSchema, roleSchema, timestampSchema } from './admin-schemas.js';

const modelListSchema = z.array(z.string().trim().min(1).max(200)).max(1000);
const routeListSchema = z
  .array(z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'a route prefix starts with "/" (e.g. /v1/chat/completions, /admin/v1/keys)').max(200))
  .max(100);
const metadataSchema = z.record(z.string().min(1).max(100), z.string().max(1000)).refine((value) => Object.keys(value).length <= 100, 'at most 100 metadata entries');
const tagsSchema = z.array(z.string().trim().min(1).max(100)).max(100);

const ownerInputSchema = z.union([
  z.strictObject({ kind: z.enum(['user', 'service-account', 'team']), id: identifierSchema }),
  z.strictObject({ kind: z.literal('none') }),
]);

/** A virtual key as the API shows it: never the key itself, only its visible prefix. */
export const virtualKeySchema = z.object({
  id: z.string(),
  organisationId: z.string(),
  workspaceId: z.string(),
  teamId: z.string().optional(),
  owner: z.union([z.object({ kind: z.enum(['user', 'service-account', 'team']), id: z.string() }), z.object({ kind: z.literal('none') })]),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it in lists.'),
  role: roleSchema,
  allowedModels: z.array(z.string()),
  allowedRoutes: z.array(z.string()),
  metadata: z.record(z.string(), z.string()),
  tags: z.array(z.string()),
  llm: llmSettingsSchema,
  expiresAt: timestampSchema.optional(),
  blocked: z.boolean(),
  revokedAt: timestampSchema.optional(),
  lastUsedAt: timestampSchema.optional(),
  createdAt: timestampSchema,
});

/** The answer of create and rotate: the key's secret, shown this once and never again. */
export const keyWithSecretSchema = z.object({
  key: virtualKeySchema,
  secret: z.string().describe('The key to send as "Authorization: Bearer <secret>". Shown only in this answer.'),
  previousSecretExpiresAt: timestampSchema.optional().describe('Rotation: until when the previous secret is still accepted.'),
});

export const createKeySchema = z.strictObject({
  workspaceId: identifierSchema,
  teamId: identifierSchema.optional(),
  owner: ownerInputSchema.optional(),
  name: nameSchema,
  role: roleSchema.default('viewer').describe('The role the key acts with on the admin API; never above the creator\'s own.'),
  allowedModels: modelListSchema.default([]).describe('Empty: any model the workspace allows.'),
  allowedRoutes: routeListSchema.default([]).describe('Route prefixes the key may call; empty: the gateway API only.'),
  metadata: metadataSchema.default({}),
  tags: tagsSchema.default([]),
  llm: llmSettingsSchema.default({}),
  expiresAt: timestampSchema.optional().describe('Epoch milliseconds after which the key is refused.'),
});

export const updateKeySchema = z
  .strictObject({
    name: nameSchema.optional(),
    role: roleSchema.optional(),
    teamId: identifierSchema.nullable().optional().describe('The team whose limits and budgets also apply; null takes the key out of its team.'),
    allowedModels: modelListSchema.optional(),
    allowedRoutes: routeListSchema.optional(),
    metadata: metadataSchema.optional(),
    tags: tagsSchema.optional(),
    llm: llmSettingsSchema.optional(),
    expiresAt: timestampSchema.nullable().optional().describe('Epoch milliseconds after which the key is refused; null: it never expires.'),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'give at least one field to change');

export const rotateKeySchema = z.strictObject({
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400, 'at most 7 days (604800 seconds)')
    .default(86_400)
    .describe('How long the previous secret keeps working (default one day; 0 ends it now).'),
});

export const listKeysQuerySchema = z.strictObject({
  organisationId: identifierSchema.optional().describe("Defaults to the caller's organisation (required with the master key)."),
  workspaceId: identifierSchema.optional().describe("Defaults to the caller's workspace."),
  teamId: identifierSchema.optional(),
});
