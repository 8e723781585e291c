/**
 * A resolved guardrail policy: the scanners that apply to one request, each built once with its settings.
 * Levels fold like the model hierarchy (organisation -> workspace -> key): an entry replaces the entry of the
 * same name from a level above, `enabled: false` removes it, a new name adds one.
 */
import type { ScanChannel, Scanner } from '../scanner.js';
import { createCustomScanner } from '../scanners/custom-scanner.js';
import { createInvisibleTextScanner } from '../scanners/invisible-text-scanner.js';
import { createPiiScanner } from '../scanners/pii-scanner.js';
import { createSecretsScanner } from '../scanners/secrets-scanner.js';
import { createInjectionScanner } from '../injection/injection-scanner.js';
import { loadShippedInjectionModel } from '../injection/shipped-model.js';
import {
  channelsOf,
  inputChannels,
  scannerNameOf,
  type GuardrailAction,
  type GuardrailChannel,
  type GuardrailLevelConfig,
  type GuardrailScannerConfig,
  type GuardrailScannerType,
} from './guardrails-config.js';

/** One scanner of a policy, ready to run. */
export interface PolicyScanner {
  name: string;
  type: GuardrailScannerType;
  action: GuardrailAction;
  threshold: number;
  failMode: 'open' | 'closed';
  timeBudgetMs: number;
  channels: ReadonlySet<GuardrailChannel>;
  scanner: Scanner;
}

/** The scanners for one request, split by side. */
export interface GuardrailPolicy {
  input: readonly PolicyScanner[];
  output: readonly PolicyScanner[];
  /** True when an input scanner masks (the fast path must then be left). */
  masksInput: boolean;
  streamHoldBackChars: number;
}

/** Default hold-back for output scanning of streams, in characters. */
export const defaultStreamHoldBackChars = 256;

/** How a guardrail channel is presented to a scanner. */
export function scanChannelOf(channel: GuardrailChannel): ScanChannel {
  switch (channel) {
    case 'user':
      return 'user';
    case 'tool':
      return 'tool';
    case 'retrieved':
      return 'document';
    default:
      return 'assistant';
  }
}

/** Builds scanners, memoised per configuration entry (entries are immutable once the config is loaded). */
export class GuardrailScannerFactory {
  private readonly built = new WeakMap<GuardrailScannerConfig, Scanner>();

  scannerFor(entry: GuardrailScannerConfig): Scanner {
    let scanner = this.built.get(entry);
    if (scanner === undefined) {
      scanner = buildScanner(entry);
      this.built.set(entry, scanner);
    }
    return scanner;
  }
}

function buildScanner(entry: GuardrailScannerConfig): Scanner {
  switch (entry.type) {
    case 'pii':
      // The scanner's own floor is 0: the policy's threshold decides what counts.
      return createPiiScanner({ entities: entry.entities, minScore: 0 });
    case 'secrets':
      return createSecretsScanner({ disabledTypes: entry.disabledTypes });
    case 'invisible_text':
      return createInvisibleTextScanner();
    case 'custom':
      return createCustomScanner({ regex: entry.regex ?? [], denyLists: entry.denyLists ?? [] });
    case 'injection':
      return createInjectionScanner({ model: loadShippedInjectionModel() });
  }
}

/** Folds the levels (top first) into one policy; `undefined` when no scanner is left. */
export function resolveGuardrailPolicy(levels: ReadonlyArray<GuardrailLevelConfig | undefined>, factory: GuardrailScannerFactory): GuardrailPolicy | undefined {
  const entries = new Map<string, GuardrailScannerConfig>();
  let streamHoldBackChars = defaultStreamHoldBackChars;
  for (const level of levels) {
    if (level === undefined) continue;
    if (level.streamHoldBackChars !== undefined) streamHoldBackChars = level.streamHoldBackChars;
    for (const entry of level.scanners) {
      const name = scannerNameOf(entry);
      entries.delete(name);
      if (entry.enabled) entries.set(name, entry);
    }
  }
  if (entries.size === 0) return undefined;
  const input: PolicyScanner[] = [];
  const output: PolicyScanner[] = [];
  for (const [name, entry] of entries) {
    const channels = new Set(channelsOf(entry));
    const scanner: PolicyScanner = {
      name,
      type: entry.type,
      action: entry.action,
      threshold: entry.threshold,
      failMode: entry.failMode,
      timeBudgetMs: entry.timeBudgetMs,
      channels,
      scanner: factory.scannerFor(entry),
    };
    if ([...channels].some((channel) => inputChannels.has(channel))) input.push(scanner);
    if (channels.has('output') || channels.has('tool_arguments')) output.push(scanner);
  }
  return { input, output, masksInput: input.some((scanner) => scanner.action === 'mask'), streamHoldBackChars };
}
