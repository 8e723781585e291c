import type { ChatMessage, ChatRequest } from '../spec/index.js';

// Used only when a provider reports no usage, so an approximation is fine: o200k_base is the encoding of
// current OpenAI models and close enough for others. The overheads follow OpenAI's published counting
// recipe: every message is wrapped in 3 framing tokens, a name costs 1 more, and the reply is primed with 3.
const tokensPerMessage = 3;
const tokensPerName = 1;
const replyPrimingTokens = 3;
// An image's tokens depend on its size, which the gateway does not decode; OpenAI charges 85 tokens for a
// low-detail image and 765 for a 1024×1024 one at high detail.
const lowDetailImageTokens = 85;
const imageTokens = 765;
// Tool definitions are rendered into the prompt in a provider-specific way; a small fixed framing per tool
// plus the JSON of the definition is a fair estimate.
const tokensPerTool = 8;

// User text may contain strings like `<|endoftext|>`; they are text here, not control tokens.
const asPlainText = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

type CountTokens = (text: string, options: typeof asPlainText) => number;
let countTokens: CountTokens | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the o200k_base tables. They cost about a second of start-up and tens of MB, and most gateways never
 * need them (providers report usage), so they are loaded on first use rather than at start.
 */
export function loadTokenizer(): Promise<void> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => {
    countTokens = module.countTokens as CountTokens;
  });
  return loading;
}

/**
 * Tokens of a piece of text (o200k_base). Until the tokenizer has loaded (the first estimate starts the
 * load), a characters / 4 approximation stands in.
 */
export function estimateTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (countTokens !== undefined) return countTokens(text, asPlainText);
  void loadTokenizer();
  return Math.ceil(text.length / 4);
}

function estimateMessageTokens(message: ChatMessage): number {
  let tokens = tokensPerMessage + estimateTextTokens(message.role);
  if ((message.role === 'user' || message.role === 'assistant') && message.name) {
    tokens += tokensPerName + estimateTextTokens(message.name);
  }
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        tokens += estimateTextTokens(part.text);
        break;
      case 'image':
        tokens += part.detail === 'low' ? lowDetailImageTokens : imageTokens;
        break;
      case 'tool-call':
        tokens += estimateTextTokens(part.name) + estimateTextTokens(part.arguments);
        break;
      case 'tool-result':
        for (const inner of part.content) {
          tokens += inner.type === 'text' ? estimateTextTokens(inner.text) : imageTokens;
        }
        break;
    }
  }
  return tokens;
}

/** Estimated prompt tokens of a chat request: messages with their framing, tool definitions and priming. */
export function estimateChatInputTokens(request: ChatRequest): number {
  let tokens = replyPrimingTokens;
  for (const message of request.messages) tokens += estimateMessageTokens(message);
  for (const tool of request.tools ?? []) {
    tokens += tokensPerTool + estimateTextTokens(tool.name);
    if (tool.description) tokens += estimateTextTokens(tool.description);
    tokens += estimateTextTokens(JSON.stringify(tool.parameters));
  }
  if (request.responseFormat?.type === 'json-schema') {
    tokens += estimateTextTokens(JSON.stringify(request.responseFormat.schema));
  }
  return tokens;
}
