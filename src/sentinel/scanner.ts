/**
 * The Sentinel scanner contract: every guardrail scanner (PII, secrets, invisible text, custom rules,
 * prompt injection) implements `Scanner`, so the pipeline can run them side by side and combine their
 * scores without knowing what each one looks for.
 *
 * Cheap scanners are synchronous on purpose: the default input pipeline has a budget of a few
 * milliseconds on a 4 KB prompt, and a promise per scanner per message would cost more than the scan.
 */

/** Where the scanned text came from; scanners and policies may treat channels differently. */
export type ScanChannel = 'user' | 'system' | 'tool' | 'document' | 'assistant';

/** Which side of the provider a scanner runs on. */
export type ScanStage = 'input' | 'output';

/** Per-call information a scanner may use (never the secret material itself). */
export interface ScanContext {
  channel: ScanChannel;
}

/**
 * One thing a scanner found. Offsets are UTF-16 code-unit indexes into the ORIGINAL text the scanner was
 * given (end exclusive), even when the match was made on a normalised or decoded shadow copy.
 *
 * A finding never carries the matched value: findings travel into headers, ledger rows, traces and audit
 * records, and the value may be a secret. Whoever needs the value slices it from the text it owns.
 */
export interface Finding {
  /** Entity or rule type, e.g. `email`, `credit_card`, `aws_access_key_id`, `invisible_text`. */
  type: string;
  start: number;
  end: number;
  /** Confidence 0..1 that this span really is `type`. */
  score: number;
  /** Deliberately impossible: a finding must not hold the value it found. */
  value?: never;
}

/** What one scan returns: the overall score (usually the highest finding score) and the findings. */
export interface ScanResult {
  /** 0..1; 0 means nothing found. */
  score: number;
  findings: Finding[];
}

/** A guardrail scanner. `scan` must not throw on any string input and must not keep per-call state. */
export interface Scanner {
  /** Stable identifier used in configuration, headers and the audit log, e.g. `pii`, `secrets`. */
  readonly id: string;
  readonly stage: ScanStage;
  scan(text: string, context: ScanContext): ScanResult;
}

/** The empty result, shared so clean scans allocate nothing. */
export const noFindings: ScanResult = Object.freeze({ score: 0, findings: Object.freeze([]) as unknown as Finding[] });

/** Builds a result whose score is the highest finding score. */
export function resultFromFindings(findings: Finding[]): ScanResult {
  if (findings.length === 0) return noFindings;
  let score = 0;
  for (const finding of findings) if (finding.score > score) score = finding.score;
  return { score, findings };
}
