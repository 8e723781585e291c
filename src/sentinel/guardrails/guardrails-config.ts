/**
 * The `guardrails:` configuration: which scanners run on which channels, with which threshold, action,
 * fail mode and time budget. The same level shape is used at the top of the file (the organisation's
 * default), under `workspaces.<name>.guardrails` and under `guardrails.keys.<key id or prefix>`; a lower
 * level changes the scanners of the levels above by name (see `resolve-guardrail-levels.ts`).
 *
 * Everything is checked when the configuration loads, custom regexes included (an unsafe pattern is
 * refused here, never at request time).
 */
import { z } from 'zod';
import { customRegexRuleSchema, denyListRuleSchema } from '../scanners/custom-scanner.js';
import { piiEntityTypes } from '../scanners/pii-detectors.js';
import { jsonSchemaProblem } from './json-schema-validators.js';

/**
 * The kinds of scanner a guardrail entry can run. `canary` and `json_schema` are output checks of their own
 * kind (docs/guardrails.md): a per-request canary token in the system prompt, looked for in the answer; and
 * the answer validated against a JSON schema, with one optional re-ask.
 */
export const guardrailScannerTypes = ['pii', 'secrets', 'injection', 'invisible_text', 'custom', 'canary', 'json_schema'] as const;
export type GuardrailScannerType = (typeof guardrailScannerTypes)[number];

/**
 * Where scanned text comes from. Input: `user` (user messages), `tool` (tool results), `retrieved` (user
 * messages the client marks as retrieved context, see docs/guardrails.md), `history` (earlier assistant
 * turns the client sends back). Output: `output` (the answer's text) and `tool_arguments` (the arguments of
 * the tool calls the model makes).
 */
export const guardrailChannels = ['user', 'tool', 'retrieved', 'history', 'output', 'tool_arguments'] as const;
export type GuardrailChannel = (typeof guardrailChannels)[number];
export const inputChannels: ReadonlySet<GuardrailChannel> = new Set(['user', 'tool', 'retrieved', 'history']);
const outputChannels: ReadonlySet<GuardrailChannel> = new Set(['output', 'tool_arguments']);

/** What happens when a scanner's score reaches its threshold. */
export const guardrailActions = ['block', 'mask', 'flag'] as const;
export type GuardrailAction = (typeof guardrailActions)[number];

const scannerName = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" and "-"');

export const guardrailScannerSchema = z
  .strictObject({
    /** How the entry is named in headers, the ledger and the audit log, and overridden by lower levels (default: its type). */
    name: scannerName.optional(),
    type: z.enum(guardrailScannerTypes),
    /** Default: the input channels `user`, `tool` and `retrieved`. */
    channels: z.array(z.enum(guardrailChannels)).min(1).optional(),
    /** A finding counts when its score (0..1) is at least this. */
    threshold: z.number().min(0).max(1).default(0.5),
    action: z.enum(guardrailActions).default('flag'),
    /** `open`: a scanner that fails or runs out of time lets the request through; `closed`: refuses it. */
    failMode: z.enum(['open', 'closed']).default('open'),
    /** Time the scanner may spend on one request (all its texts), checked between texts. */
    timeBudgetMs: z.number().positive().max(60_000).default(50),
    /** `false` removes an entry a level above defined under the same name. */
    enabled: z.boolean().default(true),
    /** pii: entity types to look for (default all but `person`). */
    entities: z.array(z.enum([...piiEntityTypes, 'person'])).min(1).optional(),
    /** secrets: rule types to leave out (e.g. `jwt`). */
    disabledTypes: z.array(z.string().min(1)).optional(),
    /** custom: regexes (checked for catastrophic backtracking) and deny lists. */
    regex: z.array(customRegexRuleSchema).optional(),
    denyLists: z.array(denyListRuleSchema).optional(),
    /** json_schema: a schema every answer must match (compiled when the configuration loads); without it, the client's `response_format` schema. */
    schema: z.record(z.string(), z.unknown()).optional(),
    /** json_schema: ask the model once more, with the validation errors, when an answer does not match (default true). */
    reask: z.boolean().optional(),
  })
  .superRefine((entry, context) => {
    if (entry.action === 'mask' && (entry.type === 'injection' || entry.type === 'invisible_text')) {
      context.addIssue({ code: 'custom', path: ['action'], message: `${entry.type} cannot mask (there is no span to replace that makes the text safe); use block or flag` });
    }
    if (entry.type === 'custom' && entry.enabled && (entry.regex ?? []).length + (entry.denyLists ?? []).length === 0) {
      context.addIssue({ code: 'custom', path: ['regex'], message: 'a custom scanner needs at least one regex or deny list' });
    }
    if (entry.type !== 'custom' && (entry.regex !== undefined || entry.denyLists !== undefined)) {
      context.addIssue({ code: 'custom', path: ['regex'], message: 'regex and denyLists belong to a custom scanner' });
    }
    if (entry.entities !== undefined && entry.type !== 'pii') context.addIssue({ code: 'custom', path: ['entities'], message: 'entities belong to a pii scanner' });
    if (entry.disabledTypes !== undefined && entry.type !== 'secrets') context.addIssue({ code: 'custom', path: ['disabledTypes'], message: 'disabledTypes belongs to a secrets scanner' });
    if (entry.type === 'canary' || entry.type === 'json_schema') {
      // Neither has a span to replace: a leaked canary or an invalid answer is refused or recorded.
      if (entry.action === 'mask') context.addIssue({ code: 'custom', path: ['action'], message: `${entry.type} cannot mask; use block or flag` });
      const allowed = entry.type === 'canary' ? outputChannels : new Set<GuardrailChannel>(['output']);
      const wrong = (entry.channels ?? []).filter((channel) => !allowed.has(channel));
      if (wrong.length > 0) context.addIssue({ code: 'custom', path: ['channels'], message: `${entry.type} checks the answer only (${[...allowed].join(', ')}), not ${wrong.join(', ')}` });
    }
    if (entry.type !== 'json_schema' && (entry.schema !== undefined || entry.reask !== undefined)) {
      context.addIssue({ code: 'custom', path: ['schema'], message: 'schema and reask belong to a json_schema scanner' });
    }
    if (entry.schema !== undefined) {
      const problem = jsonSchemaProblem(entry.schema);
      if (problem !== undefined) context.addIssue({ code: 'custom', path: ['schema'], message: `the JSON schema does not compile: ${problem}` });
    }
  });

/** One configured scanner, validated (defaults applied). */
export type GuardrailScannerConfig = z.infer<typeof guardrailScannerSchema>;

/** One level of guardrails (organisation, workspace or key). */
export const guardrailLevelSchema = z.strictObject({
  scanners: z.array(guardrailScannerSchema).default([]),
  /**
   * Characters of a streamed answer held back so a value split across chunks is still caught by output
   * scanners that block or mask (the last level that sets it wins).
   */
  streamHoldBackChars: z.number().int().min(16).max(16_384).optional(),
});
export type GuardrailLevelConfig = z.infer<typeof guardrailLevelSchema>;

/** The top-level `guardrails:` key: the organisation's default plus per-key levels. */
export const guardrailsConfigSchema = guardrailLevelSchema.extend({
  /** Per virtual key, by key id (`key_...`) or visible prefix (`sk-sy-AbCd`). */
  keys: z.record(z.string().min(1), guardrailLevelSchema).default({}),
});
export type GuardrailsConfig = z.infer<typeof guardrailsConfigSchema>;

/** The name an entry is known by. */
export function scannerNameOf(entry: GuardrailScannerConfig): string {
  return entry.name ?? entry.type;
}

/** The channels an entry scans: its own list, or its type's default (the input channels for content scanners). */
export function channelsOf(entry: GuardrailScannerConfig): readonly GuardrailChannel[] {
  if (entry.channels !== undefined) return entry.channels;
  if (entry.type === 'canary') return ['output', 'tool_arguments'];
  if (entry.type === 'json_schema') return ['output'];
  return ['user', 'tool', 'retrieved'];
}
