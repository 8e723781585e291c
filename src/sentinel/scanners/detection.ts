/**
 * Runs a detector over the normalised shadow copy and over every decoded segment, and maps the matches
 * back to spans of the original text. Shared by the PII, secrets and custom scanners.
 */
import type { Finding } from '../scanner.js';
import { normaliseForScan } from './normaliser.js';

/** A detector works on plain strings; offsets are into the string it was given. */
export type Detector = (text: string) => Finding[];

/** Options for `detectInOriginal`. */
export interface DetectOptions {
  /** Also look inside decoded base64 / hex / url / tag runs (default true). */
  decoded?: boolean;
}

/**
 * Detects on the shadow copy of `text`; findings inside a decoded run cover the whole encoded run.
 * The result is sorted by start and free of exact duplicates.
 */
export function detectInOriginal(text: string, detect: Detector, options: DetectOptions = {}): Finding[] {
  const normalised = normaliseForScan(text);
  const findings: Finding[] = [];
  for (const finding of detect(normalised.text)) {
    const [start, end] = normalised.toOriginal(finding.start, finding.end);
    findings.push({ type: finding.type, start, end, score: finding.score });
  }
  if (options.decoded !== false) {
    for (const segment of normalised.decoded) {
      for (const finding of detect(segment.text)) {
        findings.push({ type: finding.type, start: segment.originalStart, end: segment.originalEnd, score: finding.score });
      }
    }
  }
  return deduplicate(findings);
}

function deduplicate(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  findings.sort((left, right) => left.start - right.start || right.end - left.end || right.score - left.score);
  const kept: Finding[] = [];
  for (const finding of findings) {
    const previous = kept[kept.length - 1];
    if (previous && previous.type === finding.type && previous.start === finding.start && previous.end === finding.end) continue;
    kept.push(finding);
  }
  return kept;
}

/** Whether any of `words` occurs (lower-case) in the `radius` characters before `start` or after `end`. */
export function hasContextWord(text: string, start: number, end: number, words: RegExp, radius = 40): boolean {
  const before = text.slice(Math.max(0, start - radius), start);
  const after = text.slice(end, end + radius);
  return words.test(before) || words.test(after);
}
