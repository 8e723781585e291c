export { decodeOpenAIEmbedRequest } from './decode-openai-embed-request.js';
export { encodeOpenAIEmbedResult, encodeEmbeddingBase64, type EmbedEncodeContext } from './encode-openai-embed-result.js';
