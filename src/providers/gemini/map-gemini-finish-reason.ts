import type { FinishReason } from '../../spec/index.js';

// Every reason that means "a safety or policy filter stopped the output".
const filterReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Maps a Gemini `finishReason`. Gemini ends function calls with `STOP`, so the caller says whether the
 * candidate holds function calls; the raw value is always kept.
 */
export function mapGeminiFinishReason(raw: string | undefined, hasFunctionCalls: boolean): FinishReason {
  if (raw === undefined) return { unified: hasFunctionCalls ? 'tool-calls' : 'other' };
  if (raw === 'STOP') return { unified: hasFunctionCalls ? 'tool-calls' : 'stop', raw };
  if (raw === 'MAX_TOKENS') return { unified: 'length', raw };
  if (filterReasons.has(raw)) return { unified: 'content-filter', raw };
  return { unified: 'other', raw };
}
