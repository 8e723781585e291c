/**
 * A tokenizer-free count for the budget's worst-case reservation: the characters of every string in the
 * request body (messages, system prompt, tool definitions; the model name too, which is a few characters),
 * divided by three. English averages about four characters a token, so this errs high, which is what a
 * reservation wants; it costs a walk over the parsed body instead of the 70-120 µs a real tokenizer takes on
 * the request path. Text that packs more tokens per character (some code, CJK) can exceed it: the budget's
 * bound then counts the difference, as for any request that costs more than its reservation.
 */
export function roughTokenCount(value: unknown): number {
  return Math.ceil(characters(value, 0) / 3);
}

function characters(value: unknown, depth: number): number {
  if (typeof value === 'string') return value.length;
  if (depth > 32 || value === null || typeof value !== 'object') return 0;
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value) total += characters(item, depth + 1);
    return total;
  }
  for (const key in value as Record<string, unknown>) total += characters((value as Record<string, unknown>)[key], depth + 1);
  return total;
}
