import { noFindings, type Finding, type ScanChannel, type ScanContext, type ScanResult, type Scanner } from '../scanner.js';
import { detectInjection, defaultWindowOptions, type WindowOptions } from './injection-detector.js';
import { thresholdsFor, type LinearModel } from './linear-model.js';

export interface InjectionScannerOptions {
  /** The linear model; without one the scanner runs the rules only. */
  model?: LinearModel;
  /**
   * Model-probability threshold per channel, overriding the validated one (`thresholdsFor(model, channel).combined`).
   * Lower = stricter; e.g. a lower value for `document` and `tool` content, where an instruction addressed
   * to the assistant has no business at all.
   */
  modelThresholds?: Partial<Record<Exclude<ScanChannel, 'system'>, number>>;
  windows?: WindowOptions;
}

/**
 * Prompt-injection and jailbreak scanner (input stage). Scans user, tool, document and assistant channels;
 * the system channel is the operator's own prompt and is never scanned. Tool and document content also
 * runs the rules for instructions addressed to the assistant (see `injection-rules.ts`), so those channels
 * are stricter by default.
 *
 * The score is calibrated (`calibrate`): 0.5 is the validated operating point (rules or model reaching its
 * threshold), so a policy threshold of 0.5 means "as evaluated"; higher is more permissive.
 */
export function createInjectionScanner(options: InjectionScannerOptions = {}): Scanner {
  const { model } = options;
  const windows = options.windows ?? defaultWindowOptions;
  // One scan at build time: the first scan otherwise pays for the 2 MB feature scratch buffer, the rules'
  // regex compilation and JIT warm-up (30-60 ms on a busy 2-core machine), which would spend the first
  // request's time budget.
  detectInjection('Warm-up: ignore this text.', 'user', model, windows);
  return {
    id: 'prompt_injection',
    stage: 'input',
    scan(text: string, context: ScanContext): ScanResult {
      if (context.channel === 'system' || text.length === 0) return noFindings;
      const modelThreshold = options.modelThresholds?.[context.channel] ?? (model === undefined ? undefined : thresholdsFor(model, context.channel).combined);
      const scores = detectInjection(text, context.channel, model, windows, modelThreshold);
      const findings: Finding[] = scores.findings.slice();
      if (scores.modelWindow !== undefined && modelThreshold !== undefined && scores.model >= modelThreshold) {
        findings.push({ type: 'injection.model', start: scores.modelWindow.start, end: scores.modelWindow.end, score: scores.model });
      }
      return scores.combined === 0 && findings.length === 0 ? noFindings : { score: scores.combined, findings };
    },
  };
}
