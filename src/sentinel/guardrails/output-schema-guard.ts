/**
 * The `json_schema` guardrail on the answer: the text of each choice must be JSON matching the schema the
 * operator configured and, when the client asked for structured output (`response_format` json_schema, or
 * Anthropic `output_config.format`), the client's schema; `response_format: json_object` asks only that it
 * parses. A complete answer that fails may be re-asked once (the invalid answer and the errors go back to
 * the model through the same pipeline); a stream is judged when it ends, since what was sent cannot be
 * taken back: `block` then ends it with the guardrail error instead of its finish, `flag` records it.
 */
import type { ValidateFunction } from 'ajv';
import { addUsage, GatewayError, type ChatEvent, type ChatRequest, type ChatResult, type ResponseFormat } from '../../spec/index.js';
import { restorePlaceholders, type MaskingVault } from '../scanners/masking.js';
import type { GuardrailDecisions } from './guardrail-decisions.js';
import type { PolicySchemaCheck } from './guardrail-policy.js';
import type { GuardrailBlock } from './input-guard.js';
import { compileJsonSchema, judgeJsonAnswer, type JsonAnswerFailure } from './json-schema-validators.js';

/** A check that applies to this request, with every schema the answer must match. */
export interface ActiveSchemaCheck {
  check: PolicySchemaCheck;
  validators: ValidateFunction[];
}

/** A failed check on one choice. */
interface SchemaFailure extends JsonAnswerFailure {
  check: PolicySchemaCheck;
}

/**
 * The checks that apply to a request: an entry with a configured schema always; an entry without one only
 * when the client asked for JSON. A client schema that ajv cannot compile follows the entry's fail mode:
 * `open` skips the check (decision `error`), `closed` refuses the request with `guardrail_failed` before any
 * provider is called.
 */
export function activeSchemaChecks(checks: readonly PolicySchemaCheck[], format: ResponseFormat | undefined, decisions: GuardrailDecisions): ActiveSchemaCheck[] {
  const active: ActiveSchemaCheck[] = [];
  const asksForJson = format?.type === 'json' || format?.type === 'json-schema';
  for (const check of checks) {
    if (check.validator === undefined && !asksForJson) continue;
    const validators = check.validator === undefined ? [] : [check.validator];
    if (format?.type === 'json-schema') {
      try {
        validators.push(compileJsonSchema(format.schema, { strict: false }));
      } catch (error) {
        decisions.record({ scanner: check.name, side: 'output', outcome: 'error', channels: ['output'], types: [], score: 0 });
        if (check.failMode === 'closed') throw new GatewayError('guardrail_failed', `The ${check.name} guardrail cannot compile the request's JSON schema, and its fail mode is closed.`, { cause: error });
        continue;
      }
    }
    active.push({ check, validators });
  }
  return active;
}

/** Judges the text of each choice (choices that called a tool are not structured answers and are skipped). */
function failuresOf(texts: ReadonlyArray<string | undefined>, checks: readonly ActiveSchemaCheck[], vault: MaskingVault | undefined): SchemaFailure[] {
  const failures: SchemaFailure[] = [];
  for (const text of texts) {
    if (text === undefined) continue;
    // Judge what the client will get: masked input values are restored in the answer before it goes out.
    const judged = vault === undefined ? text : restorePlaceholders(text, vault);
    for (const { check, validators } of checks) {
      const failure = judgeJsonAnswer(judged, validators);
      if (failure !== undefined) failures.push({ check, ...failure });
    }
  }
  return failures;
}

function textsOfResult(result: ChatResult): Array<string | undefined> {
  return result.choices.map((choice) =>
    choice.content.some((part) => part.type === 'tool-call') ? undefined : choice.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
  );
}

/** Records the final decisions of failed checks; returns the block of the first check that blocks. */
function conclude(failures: readonly SchemaFailure[], decisions: GuardrailDecisions, extraTypes: readonly string[] = []): GuardrailBlock | undefined {
  let block: GuardrailBlock | undefined;
  for (const failure of failures) {
    const types = [failure.type, ...extraTypes];
    decisions.record({ scanner: failure.check.name, side: 'output', outcome: failure.check.action === 'block' ? 'blocked' : 'flagged', channels: ['output'], types, score: 1 });
    if (failure.check.action === 'block' && block === undefined) block = { scanner: failure.check.name, side: 'output', channel: 'output', types, score: 1 };
  }
  return block;
}

/**
 * The request that asks again: the conversation, then the invalid answer as the assistant's turn, then a
 * user turn listing what is wrong.
 */
export function reaskRequest(request: ChatRequest, answer: ChatResult, errors: readonly string[]): ChatRequest {
  const invalid = answer.choices[0].content.filter((part) => part.type === 'text');
  const problems = errors.map((error) => `- ${error}`).join('\n');
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: invalid },
      { role: 'user', content: [{ type: 'text', text: `Your previous answer does not match the required JSON schema:\n${problems}\nReply again with only the corrected JSON, nothing else.` }] },
    ],
  };
}

/** What {@link enforceSchemaChecks} needs besides the answer. */
export interface SchemaEnforcement {
  checks: readonly ActiveSchemaCheck[];
  /** The request the answer was for (the re-ask extends it). */
  request: ChatRequest;
  decisions: GuardrailDecisions;
  vault?: MaskingVault;
  /** Makes the one extra upstream call. */
  reask(request: ChatRequest): Promise<ChatResult>;
  /** The other output scanners, run on the re-asked answer (a block from them wins). */
  screen(result: ChatResult): GuardrailBlock | undefined;
  /** Whether the request was aborted (a failed re-ask is then not swallowed). */
  aborted(): boolean;
}

/**
 * Judges a complete answer. When it fails and a failing check re-asks (single-choice answers only), one more
 * upstream call is made; the second answer is returned, with the usage of BOTH calls added together (what the
 * ledger row records and the client is shown). A re-ask that fails upstream leaves the first answer, judged.
 */
export async function enforceSchemaChecks(first: ChatResult, enforcement: SchemaEnforcement): Promise<{ result: ChatResult; block?: GuardrailBlock }> {
  const { checks, decisions, vault } = enforcement;
  const failures = failuresOf(textsOfResult(first), checks, vault);
  if (failures.length === 0) return { result: first };
  if (first.choices.length !== 1 || !failures.some((failure) => failure.check.reask)) return { result: first, block: conclude(failures, decisions) };
  for (const failure of failures) decisions.record({ scanner: failure.check.name, side: 'output', outcome: 'reasked', channels: ['output'], types: [failure.type], score: 1 });
  let second: ChatResult;
  try {
    second = await enforcement.reask(reaskRequest(enforcement.request, first, [...new Set(failures.flatMap((failure) => failure.errors))]));
  } catch (error) {
    if (enforcement.aborted()) throw error;
    return { result: first, block: conclude(failures, decisions, ['reask_failed']) };
  }
  const result: ChatResult = { ...second, usage: addUsage(first.usage, second.usage) };
  const screened = enforcement.screen(result);
  if (screened !== undefined) return { result, block: screened };
  const remaining = failuresOf(textsOfResult(result), checks, vault);
  return remaining.length === 0 ? { result } : { result, block: conclude(remaining, decisions) };
}

/**
 * Judges a stream when it ends, without holding anything back: the text of each choice is kept (a copy) and
 * judged at `finish`. A failed `block` check replaces the finish with the guardrail error (the client has
 * the text, but its SDK raises instead of completing); `flag` lets the finish through. A stream that ends
 * in an error is not judged.
 */
export async function* judgeStreamAtEnd(
  events: AsyncIterable<ChatEvent>,
  checks: readonly ActiveSchemaCheck[],
  decisions: GuardrailDecisions,
  onBlock: (block: GuardrailBlock) => GatewayError,
  vault?: MaskingVault,
): AsyncGenerator<ChatEvent> {
  const texts: string[] = [];
  const calledTools = new Set<number>();
  for await (const event of events) {
    if (event.type === 'text-delta') texts[event.choice] = (texts[event.choice] ?? '') + event.delta;
    else if (event.type === 'tool-call-delta') calledTools.add(event.choice);
    else if (event.type === 'finish') {
      const choices = Math.max(texts.length, 1);
      const judged = Array.from({ length: choices }, (_, choice) => (calledTools.has(choice) ? undefined : (texts[choice] ?? '')));
      const block = conclude(failuresOf(judged, checks, vault), decisions);
      if (block !== undefined) {
        yield { type: 'error', error: onBlock(block), usage: event.usage };
        return;
      }
    }
    yield event;
  }
}
