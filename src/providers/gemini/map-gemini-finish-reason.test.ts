import { describe, expect, it } from 'vitest';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

describe('mapGeminiFinishReason', () => {
  it('maps STOP to stop, or to tool-calls when the candidate called functions', () => {
    expect(mapGeminiFinishReason('STOP', false)).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(mapGeminiFinishReason('STOP', true)).toEqual({ unified: 'tool-calls', raw: 'STOP' });
  });

  it('maps MAX_TOKENS to length', () => {
    expect(mapGeminiFinishReason('MAX_TOKENS', false)).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
  });

  it('maps every filter reason to content-filter', () => {
    for (const raw of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) {
      expect(mapGeminiFinishReason(raw, false)).toEqual({ unified: 'content-filter', raw });
    }
  });

  it('maps anything else to other, keeping the raw value', () => {
    expect(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false)).toEqual({ unified: 'other', raw: 'MALFORMED_FUNCTION_CALL' });
    expect(mapGeminiFinishReason('LANGUAGE', true)).toEqual({ unified: 'other', raw: 'LANGUAGE' });
    expect(mapGeminiFinishReason(undefined, false)).toEqual({ unified: 'other' });
  });
});
