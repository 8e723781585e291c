import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { listRoundTripCases, listStreamCases, readExpectedText, saveRoundTripCase } from '../__fixtures__/golden-fixtures.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));

describe('anthropic-messages golden round trips (client wire -> canonical -> client wire)', () => {
  for (const testCase of listRoundTripCases(fixtures)) {
    it(testCase.name, () => {
      const decoded = anthropicMessagesDialect.decodeRequest(testCase.data.request);
      const response = anthropicMessagesDialect.encodeResult(testCase.data.result, testCase.data.context);
      saveRoundTripCase(testCase, decoded, response);
      expect(decoded).toEqual(testCase.data.decoded);
      expect(response).toEqual(testCase.data.response);
    });
  }
});

describe('anthropic-messages golden streams', () => {
  for (const testCase of listStreamCases(fixtures)) {
    it(testCase.name, () => {
      const encoder = anthropicMessagesDialect.createStreamEncoder(testCase.context);
      const text = testCase.events.map((event) => encoder.encode(event)).join('');
      expect(text).toBe(readExpectedText(testCase.chunksFile, text));
      // Every event is `event: X` + `data: {"type":"X",...}` with the same name.
      for (const block of text.split('\n\n').filter((part) => part !== '')) {
        const [eventLine, dataLine] = block.split('\n');
        expect(JSON.parse(dataLine.slice(6)).type).toBe(eventLine.slice(7));
      }
    });
  }
});
