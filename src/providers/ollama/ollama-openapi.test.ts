import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { fixtureBodyText, loadWireFixtures, type WireFixture } from '../contract/wire-fixture.js';

// Checks every hand-made fixture against Ollama's own OpenAPI file, so the fixtures (and therefore the
// adapter tests) speak the real wire: responses against the response schemas, requests against the
// request schemas.
const specPath = '/work/shared/specs/ollama/openapi.yaml';
const fixtures = loadWireFixtures(fileURLToPath(new URL('./__fixtures__', import.meta.url)));

function loadValidators(): (name: string) => ValidateFunction {
  const document = parse(readFileSync(specPath, 'utf8')) as { components: Record<string, unknown> };
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; strict:false because of `example` and `x-*` keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addSchema({ $id: 'ollama', components: document.components });
  return (name) => {
    const validate = ajv.getSchema(`ollama#/components/schemas/${name}`);
    if (validate === undefined) throw new Error(`no schema ${name}`);
    return validate;
  };
}

const schema = loadValidators();

function expectValid(name: string, value: unknown, where: string): void {
  const validate = schema(name);
  expect(validate(value), `${where} against ${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

function streamLines(fixture: WireFixture): unknown[] {
  return fixtureBodyText(fixture)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return []; // the garbage-line fixture's deliberate non-JSON line
      }
    });
}

describe('ollama fixtures match openapi.yaml', () => {
  it('loads the spec and finds fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    expect(schema('ChatResponse')).toBeTypeOf('function');
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: request and response bodies`, () => {
      const { request, response } = fixture.upstream;
      const url = new URL(request.url);
      if (url.pathname === '/api/chat') expectValid('ChatRequest', request.body, 'request');
      if (url.pathname === '/api/embed') expectValid('EmbedRequest', request.body, 'request');

      if (response.status !== 200) {
        expectValid('ErrorResponse', response.body, 'error body');
        expect(typeof (response.body as { error?: unknown }).error).toBe('string');
        return;
      }
      if (fixture.name === 'chat-garbage') {
        expect(() => JSON.parse(fixtureBodyText(fixture))).toThrow();
        return;
      }
      if (fixture.operation === 'chat') expectValid('ChatResponse', response.body, 'response');
      else if (fixture.operation === 'embed') expectValid('EmbedResponse', response.body, 'response');
      else if (fixture.operation === 'list-models') expectValid('ListResponse', response.body, 'response');
      else {
        const lines = streamLines(fixture);
        expect(lines.length).toBeGreaterThan(0);
        expect(fixtureBodyText(fixture).endsWith('\n'), 'every NDJSON line ends with a newline').toBe(true);
        for (const [index, line] of lines.entries()) {
          if (typeof line === 'object' && line !== null && 'error' in line) expectValid('ErrorResponse', line, `line ${index}`);
          else {
            expectValid('ChatStreamEvent', line, `line ${index}`);
            // The final line carries the same fields as a whole response.
            if ((line as { done?: boolean }).done === true) expectValid('ChatResponse', line, `line ${index}`);
          }
        }
      }
    });
  }

  it('rejects a body that breaks the schema (the validator is live)', () => {
    expect(schema('ChatResponse')({ message: { role: 'user' } })).toBe(false);
    expect(schema('ChatRequest')({ model: 'x', messages: [{ role: 'robot', content: '' }] })).toBe(false);
    expect(schema('EmbedResponse')({ embeddings: [['a']] })).toBe(false);
  });
});
