/**
 * Runs the scanners of one request within their time budgets and fail modes. Scanners are synchronous, so
 * a scan in progress is never interrupted: time is measured around each scan and a scanner that has used
 * its budget for the request is not run again. `failMode: open` records `timeout` (or `error`) and lets the
 * request go on without that scanner; `closed` refuses the request with `guardrail_failed`.
 */
import { GatewayError } from '../../spec/index.js';
import type { Finding } from '../scanner.js';
import type { GuardrailDecisions } from './guardrail-decisions.js';
import type { GuardrailChannel } from './guardrails-config.js';
import { scanChannelOf, type PolicyScanner } from './guardrail-policy.js';

/** A monotonic clock in milliseconds (the gateway's `Clock.monotonic`). */
export interface MonotonicClock {
  monotonic(): number;
}

/** The findings of one scan that reached the scanner's threshold, and the highest score among them. */
export interface CountedFindings {
  findings: Finding[];
  score: number;
}

export class BudgetedScan {
  private readonly spentMs = new Map<PolicyScanner, number>();
  private readonly stopped = new Set<PolicyScanner>();

  constructor(
    private readonly clock: MonotonicClock,
    private readonly decisions: GuardrailDecisions,
    private readonly side: 'input' | 'output',
  ) {}

  /**
   * Scans `text` with one scanner; `undefined` when it found nothing at or over its threshold, or when it
   * could not run (recorded). Throws `guardrail_failed` for a failing scanner whose fail mode is closed.
   */
  run(entry: PolicyScanner, text: string, channel: GuardrailChannel): CountedFindings | undefined {
    if (this.stopped.has(entry) || text.length === 0) return undefined;
    const started = this.clock.monotonic();
    let counted: CountedFindings | undefined;
    try {
      const result = entry.scanner.scan(text, { channel: scanChannelOf(channel) });
      if (result.score >= entry.threshold && result.findings.length > 0) {
        const findings = result.findings.filter((finding) => finding.score >= entry.threshold);
        if (findings.length > 0) counted = { findings, score: Math.max(...findings.map((finding) => finding.score)) };
      }
    } catch (error) {
      this.fail(entry, channel, 'error', error);
      return undefined;
    }
    const spent = (this.spentMs.get(entry) ?? 0) + (this.clock.monotonic() - started);
    this.spentMs.set(entry, spent);
    if (spent > entry.timeBudgetMs) this.fail(entry, channel, 'timeout');
    return counted;
  }

  private fail(entry: PolicyScanner, channel: GuardrailChannel, outcome: 'timeout' | 'error', cause?: unknown): void {
    this.stopped.add(entry);
    this.decisions.record({ scanner: entry.name, side: this.side, outcome, channels: [channel], types: [], score: 0 });
    if (entry.failMode === 'closed') {
      const what = outcome === 'timeout' ? `did not finish within its time budget of ${entry.timeBudgetMs} ms` : 'failed';
      throw new GatewayError('guardrail_failed', `The ${entry.name} guardrail ${what}, and its fail mode is closed.`, { cause });
    }
  }
}
