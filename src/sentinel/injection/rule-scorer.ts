import type { Finding, ScanChannel } from '../scanner.js';
import { injectionRules, type InjectionRule } from './injection-rules.js';
import type { NormalisedText } from './normalise-text.js';

/** The rules that fired on one text and their combined score. */
export interface RuleScore {
  /** Noisy-or of the weights of the distinct rules that fired: 1 - prod(1 - weight). */
  score: number;
  findings: Finding[];
}

/** Decision point of the rule score (noisy-or of rule weights): one strong rule, or two medium ones. */
export const defaultRuleThreshold = 0.5;

/** Weight added (as one more noisy-or term) when invisible characters were hidden in the text. */
const invisibleTextWeight = 0.3;

/** Runs every rule enabled for `channel` once on the shadow copy; findings carry original offsets. */
export function scoreRules(
  normalised: NormalisedText,
  channel: ScanChannel,
  originalLength: number,
  rules: readonly InjectionRule[] = injectionRules,
): RuleScore {
  const findings: Finding[] = [];
  let keep = 1;
  for (const rule of rules) {
    if (rule.channels !== undefined && !rule.channels.includes(channel)) continue;
    const match = rule.pattern.exec(normalised.text);
    if (match === null) continue;
    keep *= 1 - rule.weight;
    findings.push({
      type: `injection.${rule.category}`,
      start: originalOffset(normalised, match.index, originalLength),
      end: originalOffset(normalised, match.index + match[0].length, originalLength),
      score: rule.weight,
    });
  }
  // Hidden characters alone are no attack, but they raise the score of anything else found.
  if (normalised.invisibleCount > 0 && findings.length > 0) keep *= 1 - invisibleTextWeight;
  return { score: 1 - keep, findings };
}

/** Maps a shadow index (end exclusive allowed) back to an original UTF-16 index. */
export function originalOffset(normalised: NormalisedText, shadowIndex: number, originalLength: number): number {
  if (shadowIndex >= normalised.offsets.length) return originalLength;
  return normalised.offsets[shadowIndex];
}
