/**
 * Operator-defined rules: regular expressions and deny lists of words or phrases. The configuration is
 * validated with zod, and every regex goes through `checkRegexSafety` there, so a pattern that could
 * backtrack catastrophically is refused when the configuration loads, never at request time.
 */
import { z } from 'zod';
import { resultFromFindings, type Finding, type Scanner } from '../scanner.js';
import { detectInOriginal } from './detection.js';
import { checkRegexSafety } from './regex-safety.js';

const ruleIdentifier = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" and "-"');

export const customRegexRuleSchema = z
  .object({
    /** Finding type reported for matches. */
    id: ruleIdentifier,
    pattern: z.string().min(1),
    /** Only `i`, `m`, `s` and `u` are allowed; `g` is added by the scanner. */
    flags: z.string().regex(/^[imsu]*$/, 'only the flags i, m, s and u are allowed').default(''),
    score: z.number().min(0).max(1).default(0.9),
  })
  .superRefine((rule, context) => {
    const verdict = checkRegexSafety(rule.pattern, rule.flags);
    if (!verdict.safe) context.addIssue({ code: 'custom', path: ['pattern'], message: `unsafe regular expression: ${verdict.reason}` });
  });

export const denyListRuleSchema = z.object({
  id: ruleIdentifier,
  terms: z.array(z.string().min(1).max(200)).min(1).max(10_000),
  caseSensitive: z.boolean().default(false),
  /** Match only whole words (default true), so `ass` does not fire inside `class`. */
  wholeWords: z.boolean().default(true),
  score: z.number().min(0).max(1).default(0.9),
});

export const customScannerConfigSchema = z.object({
  regex: z.array(customRegexRuleSchema).default([]),
  denyLists: z.array(denyListRuleSchema).default([]),
});

export type CustomScannerConfig = z.input<typeof customScannerConfigSchema>;

interface CompiledRule {
  type: string;
  pattern: RegExp;
  score: number;
}

const escapeRegex = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Creates the custom rules scanner. Throws a zod error naming the offending rule when the configuration
 * is invalid or a regex is unsafe.
 */
export function createCustomScanner(config: CustomScannerConfig, stage: Scanner['stage'] = 'input'): Scanner {
  const parsed = customScannerConfigSchema.parse(config);
  const rules: CompiledRule[] = parsed.regex.map((rule) => ({
    type: rule.id,
    pattern: new RegExp(rule.pattern, `${rule.flags}g`),
    score: rule.score,
  }));
  for (const list of parsed.denyLists) {
    // One alternation per list, longest terms first so a phrase wins over a word it starts with.
    const terms = [...new Set(list.terms)].sort((left, right) => right.length - left.length).map(escapeRegex);
    const body = `(?:${terms.join('|')})`;
    const source = list.wholeWords ? `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])` : body;
    rules.push({ type: list.id, pattern: new RegExp(source, list.caseSensitive ? 'gu' : 'giu'), score: list.score });
  }
  const detect = (text: string): Finding[] => {
    const findings: Finding[] = [];
    for (const rule of rules) {
      for (const match of text.matchAll(rule.pattern)) {
        if (match[0].length === 0) continue;
        findings.push({ type: rule.type, start: match.index, end: match.index + match[0].length, score: rule.score });
      }
    }
    return findings;
  };
  return {
    id: 'custom',
    stage,
    scan(text) {
      if (text.length === 0 || rules.length === 0) return resultFromFindings([]);
      return resultFromFindings(detectInOriginal(text, detect));
    },
  };
}
