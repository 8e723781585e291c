import { z } from 'zod';

/**
 * Schemas shared by several admin resources. Every request schema is strict (an unknown field is a 400,
 * not silently ignored), and the same schemas generate the OpenAPI document.
 */

export const roleSchema = z.enum(['owner', 'admin', 'developer', 'viewer']).describe('Roles, strongest first.');

/** An id or name from a path or body: non-empty, no surrounding spaces, bounded. */
export const identifierSchema = z.string().trim().min(1).max(200);

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

export const llmSettingsSchema = z
  .strictObject({
    provider: z.string().trim().min(1).max(100).optional(),
    model: z.string().trim().min(1).max(200).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().max(10_000_000).optional(),
    allowedModels: z.array(z.string().trim().min(1).max(200)).max(1000).optional(),
  })
  .describe('Model defaults at this level; unset fields inherit from the level above.');

export const organisationIdQuerySchema = z.strictObject({
  organisationId: identifierSchema.optional().describe("Defaults to the caller's organisation (required with the master key)."),
});

/** Epoch milliseconds. */
export const timestampSchema = z.number().int().nonnegative();

/** A list answer, in the OpenAI `{object: 'list', data}` shape. */
export function listOf<Item extends z.ZodType>(item: Item) {
  return z.object({ object: z.literal('list'), data: z.array(item) });
}

/** The answer of a DELETE. */
export const deletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });
