/**
 * The output side of the guardrails: scans the answer's text (`output`) and its tool-call arguments
 * (`tool_arguments`). A complete answer is scanned whole; a stream incrementally, holding back the last
 * `streamHoldBackChars` characters of each text while a scanner on that channel blocks or masks, so a value
 * split across chunks is still seen whole before any of it is sent. Masking on output is irreversible
 * (`[EMAIL_REDACTED]`): what the model produced on its own is not the client's to get back.
 */
import { GatewayError, type ChatEvent, type ChatResult } from '../../spec/index.js';
import type { Finding } from '../scanner.js';
import { maskFindings } from '../scanners/masking.js';
import { BudgetedScan, type MonotonicClock } from './budgeted-scan.js';
import type { GuardrailDecisions } from './guardrail-decisions.js';
import type { GuardrailPolicy, PolicyScanner } from './guardrail-policy.js';
import type { GuardrailChannel } from './guardrails-config.js';
import type { GuardrailBlock } from './input-guard.js';

/** The error a block becomes, in the one catalog; the message names the scanner and types, never the values. */
export function blockError(block: GuardrailBlock, header: Record<string, string>): GatewayError {
  const where = block.side === 'input' ? `the ${block.channel} content of the request` : `the answer's ${block.channel === 'tool_arguments' ? 'tool-call arguments' : 'text'}`;
  return new GatewayError('guardrail_blocked', `The ${block.scanner} guardrail blocked this request: ${block.types.join(', ')} found in ${where}.`, { headers: header });
}

interface ScanOutcome {
  block?: GuardrailBlock;
  /** Findings to redact, in the scanned text's offsets. */
  mask: Finding[];
}

/** Runs the output scanners of `channel` on `text`, recording decisions. */
function scanOutput(text: string, channel: GuardrailChannel, scanners: readonly PolicyScanner[], scan: BudgetedScan, decisions: GuardrailDecisions, ignoreBefore = 0): ScanOutcome {
  const mask: Finding[] = [];
  for (const entry of scanners) {
    const counted = scan.run(entry, text, channel);
    if (counted === undefined) continue;
    const findings = counted.findings.filter((finding) => finding.end > ignoreBefore);
    if (findings.length === 0) continue;
    const types = [...new Set(findings.map((finding) => finding.type))];
    const outcome = entry.action === 'block' ? 'blocked' : entry.action === 'mask' ? 'masked' : 'flagged';
    decisions.record({ scanner: entry.name, side: 'output', outcome, channels: [channel], types, score: counted.score });
    if (entry.action === 'block') return { block: { scanner: entry.name, side: 'output', channel, types, score: counted.score }, mask };
    if (entry.action === 'mask') mask.push(...findings);
  }
  return { mask };
}

function redact(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  return maskFindings(text, findings, { irreversibleTypes: new Set(findings.map((finding) => finding.type)) }).text;
}

function scannersOf(policy: GuardrailPolicy, channel: GuardrailChannel): PolicyScanner[] {
  return policy.output.filter((entry) => entry.channels.has(channel));
}

/** Scans (and redacts in place) a complete answer; returns the block, if a scanner blocked it. */
export function guardResult(result: ChatResult, policy: GuardrailPolicy, clock: MonotonicClock, decisions: GuardrailDecisions): GuardrailBlock | undefined {
  const scan = new BudgetedScan(clock, decisions, 'output');
  const text = scannersOf(policy, 'output');
  const toolArguments = scannersOf(policy, 'tool_arguments');
  for (const choice of result.choices) {
    for (const part of choice.content) {
      if (part.type === 'text' && text.length > 0) {
        const outcome = scanOutput(part.text, 'output', text, scan, decisions);
        if (outcome.block) return outcome.block;
        part.text = redact(part.text, outcome.mask);
      } else if (part.type === 'tool-call' && toolArguments.length > 0) {
        const outcome = scanOutput(part.arguments, 'tool_arguments', toolArguments, scan, decisions);
        if (outcome.block) return outcome.block;
        part.arguments = redact(part.arguments, outcome.mask);
      }
    }
  }
  return undefined;
}

/** One streamed text under scan: a choice's text or one tool call's arguments. */
interface Track {
  channel: GuardrailChannel;
  scanners: PolicyScanner[];
  /** Whether a scanner blocks or masks (then text is held back until scanned). */
  holds: boolean;
  /** Received and not yet scanned (and, when `holds`, not yet sent). */
  pending: string;
  /** The last scanned characters, scanned again as context for what follows. */
  context: string;
  emit: (text: string) => ChatEvent;
}

/**
 * Wraps a stream of events with output scanning. A block ends the stream with a `guardrail_blocked` error
 * event (what reached the client before stays there: the hold-back bounds how late a value can be caught).
 */
export async function* guardStream(
  events: AsyncIterable<ChatEvent>,
  policy: GuardrailPolicy,
  clock: MonotonicClock,
  decisions: GuardrailDecisions,
  onBlock: (block: GuardrailBlock) => GatewayError,
): AsyncGenerator<ChatEvent> {
  const scan = new BudgetedScan(clock, decisions, 'output');
  const holdBack = policy.streamHoldBackChars;
  const tracks = new Map<string, Track>();
  const trackFor = (key: string, channel: GuardrailChannel, emit: (text: string) => ChatEvent): Track | undefined => {
    let track = tracks.get(key);
    if (track === undefined) {
      const scanners = scannersOf(policy, channel);
      if (scanners.length === 0) return undefined;
      track = { channel, scanners, holds: scanners.some((entry) => entry.action !== 'flag'), pending: '', context: '', emit };
      tracks.set(key, track);
    }
    return track;
  };
  /** Scans what a track may release now (everything when `final`); returns the events to send or a block. */
  const advance = (track: Track, final: boolean): ChatEvent[] | GuardrailBlock => {
    const threshold = track.holds ? 2 * holdBack : holdBack;
    if (!final && track.pending.length < threshold) return [];
    const text = track.context + track.pending;
    const offset = track.context.length;
    const outcome = scanOutput(text, track.channel, track.scanners, scan, decisions, offset);
    if (outcome.block) return outcome.block;
    if (!track.holds) {
      track.context = text.slice(-holdBack);
      track.pending = '';
      return [];
    }
    let cut = final ? text.length : text.length - holdBack;
    // Never cut through a value: keep it whole for the next round.
    for (const finding of outcome.mask) if (finding.start < cut && finding.end > cut && finding.start >= offset) cut = Math.min(cut, finding.start);
    if (cut <= offset) return [];
    const released = text.slice(offset, cut);
    const inside = outcome.mask
      .filter((finding) => finding.start < cut && finding.end > offset)
      .map((finding) => ({ ...finding, start: Math.max(finding.start, offset) - offset, end: Math.min(finding.end, cut) - offset }));
    track.context = text.slice(0, cut).slice(-holdBack);
    track.pending = text.slice(cut);
    const output = redact(released, inside);
    return output.length === 0 ? [] : [track.emit(output)];
  };

  for await (const event of events) {
    let track: Track | undefined;
    let delta = '';
    if (event.type === 'text-delta') {
      track = trackFor(`text:${event.choice}`, 'output', (text) => ({ type: 'text-delta', choice: event.choice, delta: text }));
      delta = event.delta;
    } else if (event.type === 'tool-call-delta') {
      const { choice, index } = event;
      track = trackFor(`tool:${choice}:${index}`, 'tool_arguments', (text) => ({ type: 'tool-call-delta', choice, index, argumentsDelta: text }));
      delta = event.argumentsDelta;
      // The call's id and name go out at once; only its arguments wait for the scan.
      if (track?.holds && (event.id !== undefined || event.name !== undefined)) yield { ...event, argumentsDelta: '' };
    } else if (event.type === 'finish' || event.type === 'error') {
      for (const pending of tracks.values()) {
        const released = advance(pending, true);
        if (!Array.isArray(released)) {
          yield { type: 'error', error: onBlock(released), usage: event.usage };
          return;
        }
        yield* released;
      }
    }
    if (track === undefined) {
      yield event;
      continue;
    }
    track.pending += delta;
    if (!track.holds) yield event;
    const released = advance(track, false);
    if (!Array.isArray(released)) {
      yield { type: 'error', error: onBlock(released) };
      return;
    }
    yield* released;
  }
}
