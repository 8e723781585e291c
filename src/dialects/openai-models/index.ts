export { openaiModelListEncoder } from './openai-model-list-encoder.js';
