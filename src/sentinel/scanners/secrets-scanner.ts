/**
 * The secrets scanner: cloud, VCS, chat, payment and LLM provider credentials, private keys, connection
 * strings with passwords, plus flag-level JWT and `password = "..."` heuristics (rule table in
 * `secret-rules.ts`). Findings cover only the secret itself, so masking leaves the surrounding text.
 */
import { resultFromFindings, type Finding, type Scanner } from '../scanner.js';
import { detectInOriginal } from './detection.js';
import { secretRules, type SecretRule } from './secret-rules.js';

export interface SecretsScannerOptions {
  /** Rule types to leave out, e.g. `['jwt', 'generic_secret_assignment']`. */
  disabledTypes?: readonly string[];
  /** Findings scoring below this are dropped (default 0, keep the flag-level ones). */
  minScore?: number;
}

interface CompiledRule extends SecretRule {
  /** The rule's pattern with the `d` flag, so capture-group offsets are exact. */
  indexed: RegExp;
}

/** Creates a detector over the rule table (usable on its own for the evaluation and custom pipelines). */
export function createSecretsDetector(options: SecretsScannerOptions = {}): (text: string) => Finding[] {
  const disabled = new Set(options.disabledTypes ?? []);
  const minScore = options.minScore ?? 0;
  const rules: CompiledRule[] = secretRules
    .filter((rule) => !disabled.has(rule.type) && rule.score >= minScore)
    .map((rule) => ({ ...rule, indexed: new RegExp(rule.pattern.source, `${rule.pattern.flags}d`) }));
  return (text) => {
    const lower = text.toLowerCase();
    const findings: Finding[] = [];
    for (const rule of rules) {
      if (!rule.keywords.some((keyword) => lower.includes(keyword))) continue;
      for (const match of text.matchAll(rule.indexed)) {
        const group = rule.secretGroup ?? 0;
        const secret = match[group];
        const span = match.indices?.[group];
        if (secret === undefined || !span) continue;
        if (rule.accept && !rule.accept(secret)) continue;
        findings.push({ type: rule.type, start: span[0], end: span[1], score: rule.score });
      }
    }
    return dropContained(findings);
  };
}

/** When two rules hit the same secret (e.g. a JWT inside `token = "..."`), keep the specific, higher-scoring one. */
function dropContained(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  return findings.filter(
    (finding) =>
      !findings.some(
        (other) =>
          other !== finding &&
          other.start <= finding.start &&
          other.end >= finding.end &&
          (other.score > finding.score || (other.score === finding.score && other.end - other.start > finding.end - finding.start)),
      ),
  );
}

/** Creates the secrets scanner. */
export function createSecretsScanner(options: SecretsScannerOptions = {}, stage: Scanner['stage'] = 'input'): Scanner {
  const detect = createSecretsDetector(options);
  return {
    id: 'secrets',
    stage,
    scan(text) {
      if (text.length === 0) return resultFromFindings([]);
      return resultFromFindings(detectInOriginal(text, detect));
    },
  };
}
