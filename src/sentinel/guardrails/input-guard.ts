/**
 * The input side of the guardrails: scans the canonical request's messages by channel and applies each
 * scanner's action. `mask` rewrites the request in place (typed placeholders, see `masking.ts`) so the
 * provider never sees the values; personal data is masked reversibly (the vault maps placeholders back),
 * secrets and custom matches irreversibly (`[AWS_ACCESS_KEY_ID_REDACTED]`): they never come back.
 */
import type { ChatMessage, ChatRequest, TextPart } from '../../spec/index.js';
import type { Finding } from '../scanner.js';
import { maskFindings, placeholderLabel, type MaskingVault } from '../scanners/masking.js';
import { BudgetedScan, type MonotonicClock } from './budgeted-scan.js';
import type { GuardrailDecisions } from './guardrail-decisions.js';
import type { GuardrailPolicy } from './guardrail-policy.js';
import type { GuardrailChannel } from './guardrails-config.js';

/** A block decision: which scanner refused what, for the error message and the audit record. */
export interface GuardrailBlock {
  scanner: string;
  side: 'input' | 'output';
  channel: GuardrailChannel;
  types: string[];
  score: number;
}

/** What the input guard did to a request. */
export interface InputGuardResult {
  block?: GuardrailBlock;
  /** Placeholder -> original value for what was masked reversibly (empty when nothing was). */
  vault: MaskingVault;
  /** Every masked value and what replaced it, to keep them out of stored payloads too. */
  replacements: Array<readonly [value: string, placeholder: string]>;
}

/**
 * A user message is retrieved context (the `retrieved` channel) when its `name` is `retrieved` or starts
 * with `retrieved_` / `retrieved-` (OpenAI's `name` field allows letters, digits, `_` and `-`).
 */
export function isRetrievedName(name: string | undefined): boolean {
  return name !== undefined && /^retrieved(?:[_-][A-Za-z0-9_-]*)?$/i.test(name);
}

/** The channel of a message and its scannable text parts; the system prompt is the operator's and is not scanned. */
export function scannableParts(message: ChatMessage): { channel: GuardrailChannel; parts: TextPart[] } | undefined {
  switch (message.role) {
    case 'system':
      return undefined;
    case 'user':
      return { channel: isRetrievedName(message.name) ? 'retrieved' : 'user', parts: message.content.filter(isTextPart) };
    case 'tool':
      return { channel: 'tool', parts: message.content.flatMap((part) => part.content.filter(isTextPart)) };
    case 'assistant':
      return { channel: 'history', parts: message.content.filter(isTextPart) };
  }
}

function isTextPart(part: { type: string }): part is TextPart {
  return part.type === 'text';
}

/** Scans (and masks in place) the request's messages; stops at the first block. */
export function guardInput(request: ChatRequest, policy: GuardrailPolicy, clock: MonotonicClock, decisions: GuardrailDecisions): InputGuardResult {
  const scan = new BudgetedScan(clock, decisions, 'input');
  let vault: MaskingVault = {};
  const replacements: Array<readonly [string, string]> = [];
  for (const message of request.messages) {
    const scannable = scannableParts(message);
    if (scannable === undefined) continue;
    const { channel, parts } = scannable;
    const scanners = policy.input.filter((entry) => entry.channels.has(channel));
    if (scanners.length === 0) continue;
    for (const part of parts) {
      const toMask: Finding[] = [];
      const irreversibleTypes = new Set<string>();
      for (const entry of scanners) {
        const counted = scan.run(entry, part.text, channel);
        if (counted === undefined) continue;
        const types = [...new Set(counted.findings.map((finding) => finding.type))];
        const outcome = entry.action === 'block' ? 'blocked' : entry.action === 'mask' ? 'masked' : 'flagged';
        decisions.record({ scanner: entry.name, side: 'input', outcome, channels: [channel], types, score: counted.score });
        if (entry.action === 'block') return { block: { scanner: entry.name, side: 'input', channel, types, score: counted.score }, vault, replacements };
        if (entry.action === 'mask') {
          toMask.push(...counted.findings);
          if (entry.type !== 'pii') for (const type of types) irreversibleTypes.add(type);
        }
      }
      if (toMask.length === 0) continue;
      const original = part.text;
      const before = new Set(Object.keys(vault));
      const masked = maskFindings(original, toMask, { vault, irreversibleTypes });
      for (const [placeholder, value] of Object.entries(masked.vault)) if (!before.has(placeholder)) replacements.push([value, placeholder]);
      for (const finding of toMask) {
        if (irreversibleTypes.has(finding.type)) replacements.push([original.slice(finding.start, finding.end), `[${placeholderLabel(finding.type)}_REDACTED]`]);
      }
      vault = masked.vault;
      part.text = masked.text;
    }
  }
  return { vault, replacements };
}

/**
 * A copy of a JSON value (the client's body, for payload capture) with every masked value replaced by its
 * placeholder, longest values first so a value inside another is not half-replaced.
 */
export function maskJsonValues(value: unknown, replacements: ReadonlyArray<readonly [string, string]>): unknown {
  if (replacements.length === 0) return value;
  const ordered = [...replacements].filter(([original]) => original.length > 0).sort((left, right) => right[0].length - left[0].length);
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') {
      let text = node;
      for (const [original, placeholder] of ordered) if (text.includes(original)) text = text.split(original).join(placeholder);
      return text;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child)]));
    return node;
  };
  return visit(value);
}
