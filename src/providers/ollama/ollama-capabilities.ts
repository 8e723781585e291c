import type { ModelCapabilities } from '../../spec/index.js';

// Ollama serves whatever the user pulled, so without a call to /api/show these are informed guesses from
// the model family in the name. Ollama itself answers 400 when a model lacks a feature, so a wrong guess
// costs one clear error, not a wrong answer. The model catalog overrides these where it knows better.
const embeddingPattern = /embed|minilm|bge-|paraphrase|snowflake-arctic-embed|granite-embedding/i;
const visionPattern = /llava|vision|bakllava|moondream|minicpm-v|qwen2\.5vl|qwen2\.5-vl|qwen3-vl|gemma3(?!n)|gemma4|llama4|mistral-small3\.[12]|granite3\.2-vision/i;
const reasoningPattern = /deepseek-r1|qwq|qwen3|gpt-oss|magistral|phi4-reasoning|cogito|think|exaone-deep|openthinker/i;

/** What an Ollama model can probably do, judged by its name. */
export function guessOllamaCapabilities(model: string): ModelCapabilities {
  const embeddings = embeddingPattern.test(model);
  return {
    chat: !embeddings,
    embeddings,
    tools: !embeddings,
    images: visionPattern.test(model),
    // `format` with a JSON schema is constrained decoding in Ollama: every chat model supports it.
    jsonSchema: !embeddings,
    reasoning: reasoningPattern.test(model),
  };
}
