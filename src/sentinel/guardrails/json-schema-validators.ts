/**
 * JSON-schema validation of answers (the `json_schema` guardrail): schemas compiled with ajv 8 once and
 * cached by content, and an answer's text judged against one. Not parseable JSON is a failure like any other.
 *
 * Schemas from the configuration are compiled in strict mode when the configuration loads, so a typo in a
 * keyword or an unknown format is refused there. Schemas from clients (`response_format`) are compiled
 * leniently (provider extensions and unknown keywords are ignored) on the request that brings them; the
 * cache is bounded, and an evicted schema is removed from ajv too, so client-chosen schemas cannot grow
 * memory without bound.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { canonicalJson } from '../../governance/audit/canonical-json.js';

/** Clients' schemas kept compiled at most; the least recently used goes first. */
const maximumCachedSchemas = 256;
/** Validation errors listed at most (in the re-ask message and the finding). */
const maximumListedErrors = 10;

type Draft = '2020-12' | '2019-09' | 'draft-07';
type AnyAjv = Ajv | Ajv2019 | Ajv2020;

const instances = new Map<string, AnyAjv>();

/** One ajv per draft and strictness, created when first needed. */
function ajvFor(draft: Draft, strict: boolean): AnyAjv {
  const key = `${draft}:${strict}`;
  let ajv = instances.get(key);
  if (ajv === undefined) {
    // Strict for configured schemas means unknown keywords and formats are refused (typos show at load);
    // a schema may still leave out `type` next to `properties`, as JSON Schema allows.
    const strictness = strict ? { strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: false, strictRequired: false } : { strict: false };
    const options = { ...strictness, allErrors: true, logger: false as const };
    ajv = draft === '2020-12' ? new Ajv2020(options) : draft === '2019-09' ? new Ajv2019(options) : new Ajv(options);
    // The formats OpenAI's structured outputs document (date-time, email, uuid, ipv4...) are checked, not ignored.
    formats.default(ajv as Ajv);
    instances.set(key, ajv);
  }
  return ajv;
}

/** The draft a schema declares with `$schema` (none: 2020-12, what structured-output schemas are written in). */
function draftOf(schema: Record<string, unknown>): Draft {
  const declared = schema.$schema;
  if (declared === undefined) return '2020-12';
  if (typeof declared === 'string') {
    if (declared.includes('2020-12')) return '2020-12';
    if (declared.includes('2019-09')) return '2019-09';
    if (declared.includes('draft-07')) return 'draft-07';
  }
  throw new Error(`$schema ${JSON.stringify(declared)} is not supported (use 2020-12, 2019-09 or draft-07)`);
}

interface CachedSchema {
  validate: ValidateFunction;
  ajv: AnyAjv;
  compiled: Record<string, unknown>;
}

/** Configured schemas (as many as the configuration has) and clients' schemas (bounded, least recently used out). */
const configuredSchemas = new Map<string, CachedSchema>();
const clientSchemas = new Map<string, CachedSchema>();

/**
 * The compiled validator of a schema, from the cache when the same content (in any key order) was compiled
 * before. Throws an Error with ajv's explanation when the schema does not compile.
 */
export function compileJsonSchema(schema: Record<string, unknown>, options: { strict: boolean }): ValidateFunction {
  const cache = options.strict ? configuredSchemas : clientSchemas;
  const key = canonicalJson(schema);
  const cached = cache.get(key);
  if (cached !== undefined) {
    // Refresh its place: the least recently used schema is the one evicted.
    cache.delete(key);
    cache.set(key, cached);
    return cached.validate;
  }
  const ajv = ajvFor(draftOf(schema), options.strict);
  // A top-level `$id` would register the schema under that id, and a second schema with the same id (from
  // another client) would then fail to compile; answers are validated standalone, so it is not needed.
  const { $id: _id, ...compiled } = structuredClone(schema);
  const validate = ajv.compile(compiled);
  cache.set(key, { validate, ajv, compiled });
  if (!options.strict && cache.size > maximumCachedSchemas) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, CachedSchema];
    cache.delete(oldestKey);
    oldest.ajv.removeSchema(oldest.compiled);
  }
  return validate;
}

/** Why a configured schema cannot be used, or `undefined` when it compiles (in strict mode). */
export function jsonSchemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    compileJsonSchema(schema, { strict: true });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Why an answer failed: it is not JSON at all, or it is JSON that does not match a schema. */
export interface JsonAnswerFailure {
  type: 'json_invalid' | 'schema_mismatch';
  /**
   * What is wrong, naming places in the answer (`/items/0/price must be number`), at most ten. Sent only to
   * the model that wrote the answer (in the re-ask), never recorded: a parse error may quote the answer.
   */
  errors: string[];
}

/** Judges an answer's text: `undefined` when it parses as JSON and matches every validator (none: it only has to parse). */
export function judgeJsonAnswer(text: string, validators: readonly ValidateFunction[]): JsonAnswerFailure | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { type: 'json_invalid', errors: [`the answer is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const errors: string[] = [];
  for (const validate of validators) {
    if (!validate(value)) errors.push(...(validate.errors ?? []).map(describeError));
  }
  return errors.length === 0 ? undefined : { type: 'schema_mismatch', errors: [...new Set(errors)].slice(0, maximumListedErrors) };
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the answer' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : error.keyword === 'enum' ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})` : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}
