import { describe, expect, it } from 'vitest';
import { Ollama } from 'ollama';
import { defaultOllamaHost, normaliseOllamaHost } from './ollama-host.js';

/** The host the official client ends up using for `host` (its `formatHost`, observed on an instance). */
function clientHost(host: string): string {
  return (new Ollama({ host }) as unknown as { config: { host: string } }).config.host;
}

describe('normaliseOllamaHost', () => {
  const sameAsClient = [
    '',
    'localhost',
    'localhost:1234',
    '127.0.0.1',
    ':8000',
    'example.com/ollama',
    'http://example.com',
    'https://example.com',
    'https://ollama.com',
    'http://127.0.0.1:11434/',
    'http://user:secret@gpu-box:9000/proxy/',
    'https://[::1]:8443',
  ];
  for (const host of sameAsClient) {
    it(`matches the official client for ${JSON.stringify(host)}`, () => {
      expect(normaliseOllamaHost(host)).toBe(clientHost(host));
    });
  }

  it('fills in scheme and default port like the client', () => {
    expect(normaliseOllamaHost('localhost')).toBe('http://localhost:11434');
    expect(normaliseOllamaHost('https://ollama.com')).toBe('https://ollama.com:443');
    expect(normaliseOllamaHost('')).toBe(defaultOllamaHost);
  });

  it('connects to 127.0.0.1 where OLLAMA_HOST names the unspecified address (the client would dial 0.0.0.0)', () => {
    expect(clientHost('0.0.0.0:11434')).toBe('http://0.0.0.0:11434');
    expect(normaliseOllamaHost('0.0.0.0:11434')).toBe('http://127.0.0.1:11434');
    expect(normaliseOllamaHost('0.0.0.0')).toBe('http://127.0.0.1:11434');
    expect(normaliseOllamaHost('http://[::]:8080')).toBe('http://127.0.0.1:8080');
  });

  it('throws on a value that is no URL at all', () => {
    expect(() => normaliseOllamaHost('http://exa mple')).toThrow();
  });
});
