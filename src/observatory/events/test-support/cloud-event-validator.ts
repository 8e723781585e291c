import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

// The CloudEvents 1.0 JSON schema of ../shared/specs (draft-07). Its three formats are checked by hand, so
// the test needs no extra package: RFC 3339 times, URIs and URI references.
const schemaPath = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/specs/cloudevents/cloudevents.schema.json');

function isUri(value: string): boolean {
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}

function isUriReference(value: string): boolean {
  try {
    new URL(value, 'http://base.invalid/');
    return !/\s/.test(value);
  } catch {
    return false;
  }
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates a parsed event against the shared CloudEvents schema; returns ajv's errors, `[]` when valid. */
export function cloudEventErrors(event: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', isUriReference);
  ajv.addFormat('date-time', (value: string) => rfc3339.test(value) && !Number.isNaN(Date.parse(value)));
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  return validate(event) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
