/**
 * A resolved guardrail policy: the scanners that apply to one request, each built once with its settings.
 * Levels fold like the model hierarchy (organisation -> workspace -> key): an entry replaces the entry of the
 * same name from a level above, `enabled: false` removes it, a new name adds one.
 */
import type { ValidateFunction } from 'ajv';
import type { ScanChannel, Scanner } from '../scanner.js';
import { createCanaryScanner } from '../scanners/canary-scanner.js';
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
import { compileJsonSchema } from './json-schema-validators.js';

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

/** A `canary` entry: its scanner is built per request, around that request's token ({@link withCanary}). */
export interface PolicyCanary {
  name: string;
  action: 'block' | 'flag';
  failMode: 'open' | 'closed';
  timeBudgetMs: number;
  channels: ReadonlySet<GuardrailChannel>;
}

/** A `json_schema` entry: the answer must be JSON matching `validator` (when configured) and the client's schema. */
export interface PolicySchemaCheck {
  name: string;
  action: 'block' | 'flag';
  reask: boolean;
  failMode: 'open' | 'closed';
  /** The configured schema, compiled; without one, only requests that ask for structured output are checked. */
  validator?: ValidateFunction;
}

/** The scanners for one request, split by side. */
export interface GuardrailPolicy {
  input: readonly PolicyScanner[];
  output: readonly PolicyScanner[];
  /** True when an input scanner masks (the fast path must then be left). */
  masksInput: boolean;
  streamHoldBackChars: number;
  /** Canary entries (none: no token is added to the system prompt). */
  canaries: readonly PolicyCanary[];
  /** JSON-schema checks of the answer. */
  schemaChecks: readonly PolicySchemaCheck[];
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
    case 'canary':
    case 'json_schema':
      throw new Error(`a ${entry.type} entry has no shared scanner (see resolveGuardrailPolicy)`);
  }
}

/** `block` or `flag` (the configuration refuses `mask` for these types). */
const refuseOrRecord = (action: GuardrailAction): 'block' | 'flag' => (action === 'block' ? 'block' : 'flag');

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
  const canaries: PolicyCanary[] = [];
  const schemaChecks: PolicySchemaCheck[] = [];
  for (const [name, entry] of entries) {
    const channels = new Set(channelsOf(entry));
    const action = refuseOrRecord(entry.action);
    if (entry.type === 'canary') {
      canaries.push({ name, action, failMode: entry.failMode, timeBudgetMs: entry.timeBudgetMs, channels });
      continue;
    }
    if (entry.type === 'json_schema') {
      // Compiled (and cached) when the configuration loaded; this only looks it up.
      const validator = entry.schema === undefined ? undefined : compileJsonSchema(entry.schema, { strict: true });
      schemaChecks.push({ name, action, reask: entry.reask ?? true, failMode: entry.failMode, validator });
      continue;
    }
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
  return { input, output, masksInput: input.some((scanner) => scanner.action === 'mask'), streamHoldBackChars, canaries, schemaChecks };
}

/**
 * The policy of one request with its canary: each canary entry becomes an output scanner looking for
 * `token`, so complete and streamed answers are scanned (and streams held back) like any other output.
 */
export function withCanary(policy: GuardrailPolicy, token: string): GuardrailPolicy {
  const scanner = createCanaryScanner(token);
  const canaries = policy.canaries.map((canary): PolicyScanner => ({ ...canary, type: 'canary', threshold: 1, scanner }));
  return { ...policy, output: [...policy.output, ...canaries] };
}
