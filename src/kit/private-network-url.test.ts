import { describe, expect, it } from 'vitest';
import { isPrivateNetworkUrl } from './private-network-url.js';

describe('isPrivateNetworkUrl', () => {
  it.each([
    'http://127.0.0.1:11434',
    'http://localhost:8000/v1',
    'http://10.1.2.3/v1',
    'http://172.20.0.5:8080',
    'http://192.168.1.10:1234/v1',
    'http://[::1]:11434',
    'http://[fd12:3456::1]/v1',
    'http://vllm:8000/v1',
    'http://gpu-box.local:8080',
    'http://llm.internal/v1',
  ])('counts %s as self-hosted', (url) => {
    expect(isPrivateNetworkUrl(url)).toBe(true);
  });

  it.each(['https://api.openai.com/v1', 'https://ollama.com', 'http://172.32.0.1', 'http://8.8.8.8', 'https://api.groq.com/openai/v1', 'not a url'])(
    'counts %s as remote',
    (url) => {
      expect(isPrivateNetworkUrl(url)).toBe(false);
    },
  );
});
