import { z } from 'zod';
import { GatewayError, type CallWarning } from '../../spec/index.js';

/**
 * A client's `cache_control` marker in canonical coordinates. The canonical model has no slot for prompt
 * caching, so a front API that has it (the Anthropic Messages dialect) records each marker in
 * `providerOptions.anthropic.cacheControl`: on `request.messages[messageIndex].content[partIndex]` (system
 * messages included, in their place) or on `request.tools[toolIndex]`. This adapter puts each one back on
 * the Anthropic block made from that part. Declared here as well as in the dialect because providers and
 * dialects never import each other; `test/e2e/anthropic-prompt-caching.test.ts` keeps the two in step.
 */
export type AnthropicCacheControlMarker =
  | { target: 'message'; messageIndex: number; partIndex: number; cacheControl: Record<string, unknown> }
  | { target: 'tool'; toolIndex: number; cacheControl: Record<string, unknown> };

/** The `providerOptions.anthropic` key that holds the markers; never sent as a body field. */
export const cacheControlOptionKey = 'cacheControl';

const index = z.number().int().nonnegative();
const cacheControlValue = z.record(z.string(), z.unknown());
const markersSchema = z.array(
  z.discriminatedUnion('target', [
    z.object({ target: z.literal('message'), messageIndex: index, partIndex: index, cacheControl: cacheControlValue }),
    z.object({ target: z.literal('tool'), toolIndex: index, cacheControl: cacheControlValue }),
  ]),
);

/** Validates the markers found in the provider options (absent means none). */
export function readCacheControlMarkers(value: unknown): AnthropicCacheControlMarker[] {
  if (value === undefined) return [];
  const parsed = markersSchema.safeParse(value);
  if (!parsed.success) {
    const param = `providerOptions.anthropic.${cacheControlOptionKey}`;
    throw new GatewayError('invalid_request', `${param}: expected a list of cache_control markers`, { param });
  }
  return parsed.data;
}

/**
 * Places markers on the blocks the converters build, and reports the ones that found no block (a part that
 * was left out, such as an empty assistant text, or an index past the end) as warnings.
 */
export class CacheControlPlacement {
  private readonly byPart = new Map<string, AnthropicCacheControlMarker>();
  private readonly byTool = new Map<number, AnthropicCacheControlMarker>();
  private readonly placed = new Set<AnthropicCacheControlMarker>();

  constructor(private readonly markers: ReadonlyArray<AnthropicCacheControlMarker>) {
    for (const marker of markers) {
      if (marker.target === 'message') this.byPart.set(`${marker.messageIndex}:${marker.partIndex}`, marker);
      else this.byTool.set(marker.toolIndex, marker);
    }
  }

  /** Whether any marker points into message `messageIndex`. */
  marksMessage(messageIndex: number): boolean {
    return this.markers.some((marker) => marker.target === 'message' && marker.messageIndex === messageIndex);
  }

  /** Sets `cache_control` on the block made from `messages[messageIndex].content[partIndex]`, if marked. */
  markPart<Block extends Record<string, unknown>>(block: Block, messageIndex: number, partIndex: number): Block {
    return this.place(block, this.byPart.get(`${messageIndex}:${partIndex}`));
  }

  /** Sets `cache_control` on the tool made from `tools[toolIndex]`, if marked. */
  markTool<Block extends Record<string, unknown>>(block: Block, toolIndex: number): Block {
    return this.place(block, this.byTool.get(toolIndex));
  }

  /** One warning per marker that found no block. */
  unplacedWarnings(): CallWarning[] {
    return this.markers
      .filter((marker) => !this.placed.has(marker))
      .map((marker) => ({
        type: 'other' as const,
        setting: 'cache_control',
        message:
          marker.target === 'message'
            ? `cache_control on messages[${marker.messageIndex}].content[${marker.partIndex}] matches no block sent to Anthropic; it was not sent`
            : `cache_control on tools[${marker.toolIndex}] matches no tool sent to Anthropic; it was not sent`,
      }));
  }

  private place<Block extends Record<string, unknown>>(block: Block, marker: AnthropicCacheControlMarker | undefined): Block {
    if (marker === undefined) return block;
    this.placed.add(marker);
    return Object.assign(block, { cache_control: marker.cacheControl });
  }
}
