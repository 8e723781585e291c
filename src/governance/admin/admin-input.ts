import type { z } from 'zod';
import { GatewayError } from '../../spec/index.js';

/**
 * Validates input from outside with its zod schema. A failure is a 400 naming the field at fault
 * (`param`: the dotted path, e.g. `llm.temperature`) and what was expected.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, where = 'body'): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String).join('.');
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
  return invalid(path === '' ? `${where}: ${message}` : `${where}.${path}: ${message}`, path === '' ? where : path);
}

function invalid(message: string, param: string): never {
  throw new GatewayError('invalid_request', message, { param });
}
