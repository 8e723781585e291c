import type { z } from 'zod';
import { GatewayError } from '../spec/index.js';

/** Renders a zod issue path the way clients write it: `messages[2].content`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    // zod reports a missing field as "received undefined"; clients understand "required" better.
    if (/received undefined$/.test(issue.message)) return `required (expected ${issue.expected})`;
    return issue.message.replace(/^Invalid input: /, '');
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '').replace(/^Invalid input$/, 'invalid value');
}

/**
 * A union's own message ("expected string or array") hides the real problem when the value had the right
 * shape but something inside it was wrong; then the deepest failure of the branch that matched is reported.
 */
function resolveIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  for (const branch of issue.errors) {
    const deeper = branch.find((inner) => inner.path.length > 0);
    if (deeper !== undefined) return resolveIssue({ ...deeper, path: [...issue.path, ...deeper.path] });
  }
  return issue;
}

/**
 * Turns a zod validation failure into an `invalid_request` GatewayError whose message names the field at
 * fault (`messages[2].content: expected string or array`) and whose `param` is that field's path.
 */
export function toInvalidRequestError(error: z.ZodError): GatewayError {
  const first = error.issues[0];
  if (first === undefined) return new GatewayError('invalid_request', 'Invalid request body');
  const issue = resolveIssue(first);
  const path = formatIssuePath(issue.path);
  const message = path === '' ? describeIssue(issue) : `${path}: ${describeIssue(issue)}`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new GatewayError('invalid_request', `${message}${more}`, path === '' ? {} : { param: path });
}

/** Throws `invalid_request` unless the body is a JSON object. */
export function assertJsonObject(body: unknown): asserts body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  }
}
