/**
 * Small seeded helpers for the synthetic training corpus: every choice goes through one `Random`
 * (mulberry32), so the same seed always gives the same corpus, text for text.
 */
export type Random = () => number;

/** One element, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `count` distinct elements (fewer when the list is shorter), in random order. */
export function pickSome<T>(random: Random, items: readonly T[], count: number): T[] {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy.slice(0, Math.min(count, copy.length));
}

/** True with probability `probability`. */
export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** An integer in [min, max], inclusive. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Upper-cases the first letter (templates are written in lower case where they start mid-sentence). */
export function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

/**
 * Replaces every `{name}` with `slots[name]()`; each occurrence draws again, so one template yields many
 * surface forms. An unknown slot is a programming error and throws.
 */
export function fill(template: string, slots: Record<string, () => string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const slot = slots[name];
    if (slot === undefined) throw new Error(`synthetic corpus: unknown slot {${name}}`);
    return slot();
  });
}

/** Light surface noise real prompts have: all lower or upper case, no final full stop, doubled spaces. */
export function vary(random: Random, text: string): string {
  let result = text;
  if (chance(random, 0.08)) result = result.toLowerCase();
  if (chance(random, 0.04)) result = result.toUpperCase();
  if (chance(random, 0.1)) result = result.replace(/[.!]$/, '');
  if (chance(random, 0.05)) result = result.replace(/\. /g, '.  ');
  return result;
}
