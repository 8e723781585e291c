import type { FinishReason } from '../../spec/index.js';

/**
 * Maps Ollama's `done_reason`. Ollama says `stop` also when the model stopped to call tools, so the
 * presence of tool calls decides between `stop` and `tool-calls`. `load` / `unload` answer requests that
 * only (un)loaded a model. An absent reason (old servers) on a `done` answer is a normal stop.
 */
export function mapOllamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (doneReason) {
    case undefined:
    case '':
    case 'stop':
      return { unified: hasToolCalls ? 'tool-calls' : 'stop', raw: doneReason };
    case 'length':
      return { unified: 'length', raw: doneReason };
    default:
      return { unified: 'other', raw: doneReason };
  }
}
