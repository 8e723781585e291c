import { describe, expect, it } from 'vitest';
import { compileJsonSchema, judgeJsonAnswer, jsonSchemaProblem } from './json-schema-validators.js';

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' }, role: { enum: ['admin', 'user'] } },
  required: ['name', 'role'],
  additionalProperties: false,
};

describe('JSON-schema validation of answers', () => {
  it('accepts an answer that parses and matches, and names each problem of one that does not', () => {
    const validate = compileJsonSchema(person, { strict: false });
    expect(judgeJsonAnswer(' {"name": "Ada", "role": "admin"}\n', [validate])).toBeUndefined();
    expect(judgeJsonAnswer('{"name": 1, "role": "root", "email": "nope", "age": 3}', [validate])).toEqual({
      type: 'schema_mismatch',
      errors: [
        'the answer must NOT have additional properties (age)',
        '/name must be string',
        '/email must match format "email"',
        '/role must be equal to one of the allowed values (["admin","user"])',
      ],
    });
  });

  it('fails an answer that is not JSON at all, with or without a schema', () => {
    expect(judgeJsonAnswer('Sure! Here is the JSON: {"name": "Ada"}', [])).toMatchObject({ type: 'json_invalid', errors: [expect.stringMatching(/^the answer is not valid JSON/)] });
    expect(judgeJsonAnswer('```json\n{"name": "Ada"}\n```', [compileJsonSchema(person, { strict: false })])?.type).toBe('json_invalid');
    expect(judgeJsonAnswer('[1, 2]', [])).toBeUndefined();
  });

  it('compiles a schema once per content, whatever the key order', () => {
    const reordered = { additionalProperties: false, required: ['name', 'role'], properties: person.properties, type: 'object' };
    expect(compileJsonSchema(reordered, { strict: false })).toBe(compileJsonSchema(person, { strict: false }));
  });

  it('refuses configured schemas ajv cannot compile, with its reason; is lenient with clients schemas', () => {
    expect(jsonSchemaProblem(person)).toBeUndefined();
    expect(jsonSchemaProblem({ type: 'object', requried: ['name'] })).toMatch(/unknown keyword: "requried"/);
    expect(jsonSchemaProblem({ type: 'objekt' })).toMatch(/schema is invalid/);
    expect(jsonSchemaProblem({ type: 'string', format: 'phone' })).toMatch(/unknown format "phone"/);
    expect(jsonSchemaProblem({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' })).toMatch(/not supported/);
    // Provider extensions and unknown keywords in a client's schema are ignored, not refused.
    expect(() => compileJsonSchema({ type: 'object', 'x-vendor': true, properties: {} }, { strict: false })).not.toThrow();
  });

  it('reads draft-07 definitions and 2020-12 $defs references', () => {
    const draft07 = compileJsonSchema({ $schema: 'http://json-schema.org/draft-07/schema#', definitions: { id: { type: 'integer' } }, properties: { id: { $ref: '#/definitions/id' } } }, { strict: true });
    expect(draft07({ id: 'x' })).toBe(false);
    const current = compileJsonSchema({ $defs: { id: { type: 'integer' } }, properties: { id: { $ref: '#/$defs/id' } } }, { strict: true });
    expect(current({ id: 3 })).toBe(true);
    expect(current({ id: 'x' })).toBe(false);
  });

  it('keeps clients schemas bounded: one compiled long ago is compiled again', () => {
    const first = compileJsonSchema({ type: 'object', title: 'bounded-0' }, { strict: false });
    for (let index = 1; index <= 300; index += 1) compileJsonSchema({ type: 'object', title: `bounded-${index}` }, { strict: false });
    const again = compileJsonSchema({ type: 'object', title: 'bounded-0' }, { strict: false });
    expect(again).not.toBe(first);
    expect(again({})).toBe(true);
  });

  it('compiles two client schemas with the same $id without a conflict', () => {
    const one = compileJsonSchema({ $id: 'https://example.com/answer', type: 'string' }, { strict: false });
    const two = compileJsonSchema({ $id: 'https://example.com/answer', type: 'number' }, { strict: false });
    expect([one('a'), two('a'), two(1)]).toEqual([true, false, true]);
  });
});
