import type { ModelCapabilities } from '../../spec/index.js';

const embeddingPattern = /embed/i;
/** o-series and GPT-5 models reason; `-chat` variants of GPT-5 do not. */
const reasoningPattern = /^(o\d|gpt-5(?!.*-chat))/;
/** Models that take no image input (text-only reasoning minis, GPT-3.5, the original GPT-4). */
const textOnlyPattern = /^(o1-mini|o3-mini|gpt-3\.5|gpt-4(-\d{4}|-32k)?$|gpt-4-0)/;

/** What an OpenAI model can do, from its name (the model catalog refines this). */
export function openaiCapabilities(model: string): ModelCapabilities {
  if (embeddingPattern.test(model)) {
    return { chat: false, embeddings: true, tools: false, images: false, jsonSchema: false, reasoning: false };
  }
  return {
    chat: true,
    embeddings: false,
    tools: true,
    images: !textOnlyPattern.test(model),
    jsonSchema: !/^gpt-3\.5/.test(model),
    reasoning: reasoningPattern.test(model),
  };
}

/** A server of unknown make: assume a chat model with tools unless its name says embeddings. */
export function genericOpenAICapabilities(model: string): ModelCapabilities {
  if (embeddingPattern.test(model)) {
    return { chat: false, embeddings: true, tools: false, images: false, jsonSchema: false, reasoning: false };
  }
  return { chat: true, embeddings: false, tools: true, images: true, jsonSchema: true, reasoning: false };
}
