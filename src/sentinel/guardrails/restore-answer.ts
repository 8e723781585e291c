/**
 * Restores masked values in the answer the client receives, complete or streamed. The answer is copied,
 * never changed in place: the ledger and payload capture hold the provider's (masked) answer, and must
 * keep it.
 */
import type { AssistantPart, ChatEvent, ChatResult } from '../../spec/index.js';
import { restorePlaceholders, type MaskingVault } from '../scanners/masking.js';
import { PlaceholderStreamRestorer } from './placeholder-stream-restorer.js';

/** Tool-call arguments are JSON text: a restored value goes in as the inside of a JSON string. */
const escapeForJsonString = (value: string): string => JSON.stringify(value).slice(1, -1);

/** A copy of `result` with placeholders in text, reasoning and tool-call arguments restored. */
export function restoreResult(result: ChatResult, vault: MaskingVault): ChatResult {
  const jsonVault = Object.fromEntries(Object.entries(vault).map(([placeholder, value]) => [placeholder, escapeForJsonString(value)]));
  return {
    ...result,
    choices: result.choices.map((choice) => ({
      ...choice,
      content: choice.content.map((part): AssistantPart => {
        if (part.type === 'text' || part.type === 'reasoning') return { ...part, text: restorePlaceholders(part.text, vault) };
        return { ...part, arguments: restorePlaceholders(part.arguments, jsonVault) };
      }),
    })),
  };
}

/** Restores a stream: one restorer per choice text, reasoning text and tool call; held text is flushed before the stream ends. */
export async function* restoreStream(events: AsyncIterable<ChatEvent>, vault: MaskingVault): AsyncGenerator<ChatEvent> {
  const restorers = new Map<string, { restorer: PlaceholderStreamRestorer; emit: (text: string) => ChatEvent }>();
  const restorerFor = (key: string, emit: (text: string) => ChatEvent, escape?: (value: string) => string) => {
    let entry = restorers.get(key);
    if (entry === undefined) {
      entry = { restorer: new PlaceholderStreamRestorer(vault, escape), emit };
      restorers.set(key, entry);
    }
    return entry.restorer;
  };
  for await (const event of events) {
    switch (event.type) {
      case 'text-delta': {
        const delta = restorerFor(`text:${event.choice}`, (text) => ({ type: 'text-delta', choice: event.choice, delta: text })).push(event.delta);
        if (delta.length > 0) yield { ...event, delta };
        break;
      }
      case 'reasoning-delta': {
        const delta = restorerFor(`reasoning:${event.choice}`, (text) => ({ type: 'reasoning-delta', choice: event.choice, delta: text })).push(event.delta);
        // A signature closes a reasoning block: it goes out even when the text is held.
        if (delta.length > 0 || event.signature !== undefined) yield { ...event, delta };
        break;
      }
      case 'tool-call-delta': {
        const { choice, index } = event;
        const argumentsDelta = restorerFor(`tool:${choice}:${index}`, (text) => ({ type: 'tool-call-delta', choice, index, argumentsDelta: text }), escapeForJsonString).push(event.argumentsDelta);
        if (argumentsDelta.length > 0 || event.id !== undefined || event.name !== undefined) yield { ...event, argumentsDelta };
        break;
      }
      case 'finish':
      case 'error':
        for (const { restorer, emit } of restorers.values()) {
          const rest = restorer.flush();
          if (rest.length > 0) yield emit(rest);
        }
        yield event;
        break;
      default:
        yield event;
    }
  }
}
