import type { Usage } from '../spec/index.js';
import type { Price } from '../registry/price.js';

/**
 * The cost of one call in integer micro-dollars, from usage in exclusive buckets:
 * uncached input at the input price, cache reads at the cache-read price, cache writes at the cache-write
 * price (both falling back to the input price), output at the output price and reasoning at the reasoning
 * price (falling back to the output price). When the whole prompt exceeds the long-context threshold, the
 * long-context prices apply to the whole request. Rounded once, at the end.
 *
 * Returns undefined when the price is unknown, or when the usage has no figure at all; a figure that is
 * missing next to known ones counts as 0.
 */
export function computeCostMicros(usage: Usage | undefined, price: Price | undefined): number | undefined {
  if (price === undefined || usage === undefined) return undefined;
  const { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens } = usage;
  if (
    inputTokens === undefined &&
    cacheReadTokens === undefined &&
    cacheWriteTokens === undefined &&
    outputTokens === undefined &&
    reasoningTokens === undefined
  ) {
    return undefined;
  }
  const promptTokens = (inputTokens ?? 0) + (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0);
  const tier = price.longContext && promptTokens > price.longContext.threshold ? price.longContext : undefined;
  const inputPrice = tier?.inputPerMillion ?? price.inputPerMillion;
  const outputPrice = tier?.outputPerMillion ?? price.outputPerMillion;
  const cacheReadPrice = tier?.cacheReadPerMillion ?? price.cacheReadPerMillion ?? inputPrice;
  const cacheWritePrice = tier?.cacheWritePerMillion ?? price.cacheWritePerMillion ?? inputPrice;
  const reasoningPrice = price.reasoningPerMillion ?? outputPrice;
  // tokens × (USD per million tokens) = micro-dollars.
  const micros =
    (inputTokens ?? 0) * inputPrice +
    (cacheReadTokens ?? 0) * cacheReadPrice +
    (cacheWriteTokens ?? 0) * cacheWritePrice +
    (outputTokens ?? 0) * outputPrice +
    (reasoningTokens ?? 0) * reasoningPrice;
  return Math.round(micros);
}
