import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/**
 * Validates JSON bodies against `components.schemas` of the reference OpenAPI files in the shared specs
 * folder (/work/shared/specs). Tests use it to prove that a wire body (from a mock provider or from the
 * gateway) matches the published schema exactly.
 */

/** The shared folder: env override first, else ../../../shared relative to this file (test/support). */
export function sharedDirectory(): string {
  const override = process.env.SWITCHYARD_SHARED_DIR;
  if (override) return override;
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
}

type JsonObject = Record<string, unknown>;

/**
 * OpenAPI 3.0 leftovers in a 3.1 file: `nullable: true` is not JSON Schema 2020-12, and Ajv rejects it.
 * `type: T` becomes `type: [T, "null"]`; `$ref`/`anyOf`/`oneOf`/`allOf` gain a `null` alternative (dropping
 * those, as the specs README suggests, would reject the `usage: null` every stream chunk carries); any other
 * `nullable` is dropped.
 */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteNullable(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const object = node as JsonObject;
  if ('nullable' in object) {
    const nullable = object.nullable === true;
    delete object.nullable;
    if (nullable && object.type !== undefined) {
      const types = Array.isArray(object.type) ? object.type : [object.type];
      if (!types.includes('null')) object.type = [...types, 'null'];
      if (Array.isArray(object.enum) && !object.enum.includes(null)) object.enum = [...object.enum, null];
    } else if (nullable && typeof object.$ref === 'string') {
      // `{$ref, nullable}` (e.g. the stream chunk's `usage`) means "the referenced schema or null".
      object.anyOf = [{ $ref: object.$ref }, { type: 'null' }];
      delete object.$ref;
    } else if (nullable && Array.isArray(object.anyOf)) {
      object.anyOf = [...object.anyOf, { type: 'null' }];
    } else if (nullable && Array.isArray(object.oneOf)) {
      object.oneOf = [...object.oneOf, { type: 'null' }];
    } else if (nullable && Array.isArray(object.allOf)) {
      object.anyOf = [{ allOf: object.allOf }, { type: 'null' }];
      delete object.allOf;
    }
  }
  for (const value of Object.values(object)) rewriteNullable(value);
}

/**
 * `components.schemas` of an OpenAPI file, with `nullable` rewritten. Parsing the 3 MB OpenAI YAML takes
 * 2-4 s, and every vitest worker would pay it, so the result is also cached as JSON in the OS temp folder,
 * keyed by the file's path, size and mtime (written to a temporary name, then renamed, so that concurrent
 * workers never read a half-written file).
 */
function loadComponentSchemas(path: string): JsonObject {
  const stat = statSync(path);
  const key = createHash('sha256').update(`${path}:${stat.size}:${stat.mtimeMs}:v1`).digest('hex').slice(0, 16);
  const cachePath = join(tmpdir(), `switchyard-openapi-schemas-${key}.json`);
  try {
    return JSON.parse(readFileSync(cachePath, 'utf8')) as JsonObject;
  } catch {
    // No usable cache: parse the YAML below.
  }
  const document = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as JsonObject;
  const schemas = ((document.components ?? {}) as JsonObject).schemas ?? {};
  rewriteNullable(schemas);
  try {
    const temporaryPath = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temporaryPath, JSON.stringify(schemas));
    renameSync(temporaryPath, cachePath);
  } catch {
    // The cache is an optimisation only.
  }
  return schemas as JsonObject;
}

interface CompiledSpec {
  readonly ajv: Ajv2020;
  readonly id: string;
  readonly cache: Map<string, ValidateFunction>;
}

// Each spec is loaded and compiled once per worker; validators are cached per schema name.
const specs = new Map<string, CompiledSpec>();

function loadSpec(id: string, relativePath: string): CompiledSpec {
  const existing = specs.get(id);
  if (existing) return existing;
  const schemas = loadComponentSchemas(resolve(sharedDirectory(), relativePath));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, logger: false });
  ajv.addFormat('unixtime', true);
  ajv.addFormat('date', (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  // Refs in the file read `#/components/schemas/X`, so the schemas live under the same path of a root $id.
  ajv.addSchema({ $id: id, components: { schemas } });
  const compiled: CompiledSpec = { ajv, id, cache: new Map() };
  specs.set(id, compiled);
  return compiled;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath;
    const extra = error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}

function validateAgainst(spec: CompiledSpec, schemaName: string, value: unknown): string[] {
  let validate = spec.cache.get(schemaName);
  if (!validate) {
    const found = spec.ajv.getSchema(`${spec.id}#/components/schemas/${schemaName}`);
    if (!found) throw new Error(`No schema named ${schemaName} in ${spec.id}`);
    validate = found;
    spec.cache.set(schemaName, validate);
  }
  return validate(value) ? [] : formatErrors(validate.errors);
}

/**
 * Validates `value` against `components.schemas[schemaName]` of the OpenAI OpenAPI file
 * (e.g. 'CreateChatCompletionResponse', 'CreateChatCompletionStreamResponse', 'ErrorResponse',
 * 'CreateEmbeddingResponse', 'ListModelsResponse'). Returns readable errors; an empty array means valid.
 */
export function validateOpenAISchema(schemaName: string, value: unknown): string[] {
  return validateAgainst(loadSpec('openai-openapi', 'specs/openai/openapi.yaml'), schemaName, value);
}

/**
 * Validates `value` against `components.schemas[schemaName]` of the Ollama OpenAPI file
 * (e.g. 'ChatResponse', 'ChatStreamEvent', 'EmbedResponse', 'ListResponse', 'VersionResponse', 'ErrorResponse').
 */
export function validateOllamaSchema(schemaName: string, value: unknown): string[] {
  return validateAgainst(loadSpec('ollama-openapi', 'specs/ollama/openapi.yaml'), schemaName, value);
}
