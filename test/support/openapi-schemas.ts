import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

interface CompiledSpec {
  readonly ajv: Ajv2020;
  readonly id: string;
  readonly cache: Map<string, ValidateFunction>;
}

// Parsing the 3 MB OpenAI YAML takes a second or more, so each spec is parsed once per worker.
const specs = new Map<string, CompiledSpec>();

function loadSpec(id: string, relativePath: string): CompiledSpec {
  const existing = specs.get(id);
  if (existing) return existing;
  const document = parse(readFileSync(resolve(sharedDirectory(), relativePath), 'utf8'), {
    maxAliasCount: -1,
  }) as JsonObject;
  const components = (document.components ?? {}) as JsonObject;
  const schemas = structuredClone(components.schemas ?? {});
  rewriteNullable(schemas);
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
