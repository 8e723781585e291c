import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatMessage } from '../../spec/index.js';
import { convertImage, convertToGeminiContents } from './convert-to-gemini-contents.js';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });

describe('convertToGeminiContents', () => {
  it('keeps system messages apart, one part each, and maps assistant to model', () => {
    const prompt = convertToGeminiContents([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      user('Hi'),
      { role: 'system', content: [{ type: 'text', text: 'Use French.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Salut' }] },
    ]);
    expect(prompt.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] });
    expect(prompt.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Salut' }] },
    ]);
  });

  it('has no systemInstruction key without system messages', () => {
    expect(convertToGeminiContents([user('Hi')])).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it('answers parallel calls in one user turn, names looked up from the calls, results parsed or wrapped', () => {
    const prompt = convertToGeminiContents([
      user('Two cities'),
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'a', name: 'weather', arguments: '{"city":"Oslo"}' },
          { type: 'tool-call', id: 'b', name: 'time', arguments: '' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: '{"celsius":3}' }] }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', content: [{ type: 'text', text: '12:00' }] }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'x', toolName: 'lookup', isError: true, content: [{ type: 'text', text: 'not found' }] }] },
    ]);
    expect(prompt.contents).toEqual([
      { role: 'user', parts: [{ text: 'Two cities' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'a', name: 'weather', args: { city: 'Oslo' } } },
          { functionCall: { id: 'b', name: 'time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'a', name: 'weather', response: { result: { celsius: 3 } } } },
          { functionResponse: { id: 'b', name: 'time', response: { result: '12:00' } } },
          { functionResponse: { id: 'x', name: 'lookup', response: { error: 'not found' } } },
        ],
      },
    ]);
  });

  it('sends images in a tool result as inline parts after the response', () => {
    const prompt = convertToGeminiContents([
      { role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'screenshot', arguments: '{}' }] },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: 'done' }, { type: 'image', data: 'AAA=', mediaType: 'image/jpeg' }] }],
      },
    ]);
    expect(prompt.contents[1].parts).toEqual([
      { functionResponse: { id: 'a', name: 'screenshot', response: { result: 'done' } } },
      { inlineData: { mimeType: 'image/jpeg', data: 'AAA=' } },
    ]);
  });

  it('rejects a tool result that answers no call and has no name', () => {
    expect(() =>
      convertToGeminiContents([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'ghost', content: [{ type: 'text', text: 'x' }] }] }]),
    ).toThrow(GatewayError);
  });

  it('rejects tool call arguments that are not a JSON object', () => {
    for (const bad of ['{not json', '[1,2]', '"text"']) {
      expect(() => convertToGeminiContents([{ role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: bad }] }])).toThrow(
        /JSON/,
      );
    }
  });

  it('returns reasoning as thought parts and puts the signature on the part that follows', () => {
    const prompt = convertToGeminiContents([
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Let me think.', signature: 'sig-1' },
          { type: 'text', text: 'Answer' },
          { type: 'reasoning', text: '', signature: 'sig-2' },
          { type: 'tool-call', id: 'c', name: 'f', arguments: '{"a":1}' },
        ],
      },
    ]);
    expect(prompt.contents[0].parts).toEqual([
      { text: 'Let me think.', thought: true },
      { text: 'Answer', thoughtSignature: 'sig-1' },
      { functionCall: { id: 'c', name: 'f', args: { a: 1 } }, thoughtSignature: 'sig-2' },
    ]);
  });

  it('keeps a trailing signature on the last thought part, or on an empty part', () => {
    const withText = convertToGeminiContents([{ role: 'assistant', content: [{ type: 'reasoning', text: 'Hmm', signature: 's' }] }]);
    expect(withText.contents[0].parts).toEqual([{ text: 'Hmm', thought: true, thoughtSignature: 's' }]);
    const withoutText = convertToGeminiContents([
      { role: 'assistant', content: [{ type: 'text', text: 'Hi' }, { type: 'reasoning', text: '', signature: 's' }] },
    ]);
    expect(withoutText.contents[0].parts).toEqual([{ text: 'Hi' }, { text: '', thoughtSignature: 's' }]);
  });

  it('merges consecutive turns of the same role', () => {
    expect(convertToGeminiContents([user('a'), user('b')]).contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });
});

describe('convertImage', () => {
  it('inlines base64 data, defaulting the media type', () => {
    expect(convertImage({ type: 'image', data: 'AAA=' })).toEqual({ inlineData: { mimeType: 'image/png', data: 'AAA=' } });
  });

  it('inlines a data URL', () => {
    expect(convertImage({ type: 'image', url: 'data:image/gif;base64,R0lG' })).toEqual({ inlineData: { mimeType: 'image/gif', data: 'R0lG' } });
  });

  it('passes other URLs as fileData, guessing the media type from the extension', () => {
    expect(convertImage({ type: 'image', url: 'https://x.test/a.PNG?size=2' })).toEqual({
      fileData: { fileUri: 'https://x.test/a.PNG?size=2', mimeType: 'image/png' },
    });
    expect(convertImage({ type: 'image', url: 'gs://bucket/object' })).toEqual({ fileData: { fileUri: 'gs://bucket/object' } });
    expect(convertImage({ type: 'image', url: 'https://x.test/photo', mediaType: 'image/webp' })).toEqual({
      fileData: { fileUri: 'https://x.test/photo', mimeType: 'image/webp' },
    });
  });
});
