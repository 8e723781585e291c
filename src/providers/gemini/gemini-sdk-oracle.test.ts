import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { systemClock } from '../../kit/system-clock.js';
import { UpstreamHttpClient } from '../../kit/upstream-http-client.js';
import type { CallOptions, ChatEvent, ChatRequest } from '../../spec/index.js';
import { GeminiAdapter } from './gemini-adapter.js';
import { geminiSettingsSchema } from './gemini-settings.js';

// The official client is the oracle for the wire: both it and the adapter talk to this loopback server,
// which records every request, and the adapter's requests must look like the SDK's.

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const apiKey = 'oracle-key';
const model = 'gemini-2.5-flash';
const generateResponse = {
  candidates: [{ content: { role: 'model', parts: [{ text: 'Sunny, 21 degrees.' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 6, totalTokenCount: 56 },
  modelVersion: model,
  responseId: 'oracle-response',
};

let server: Server;
let baseUrl: string;
const recorded: RecordedRequest[] = [];
const http = new UpstreamHttpClient({ connectTimeoutMs: 5_000, headersTimeoutMs: 5_000, idleTimeoutMs: 5_000 });

function answer(request: IncomingMessage, response: ServerResponse, text: string): void {
  recorded.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: text === '' ? undefined : JSON.parse(text) });
  const url = request.url ?? '';
  if (url.includes(':streamGenerateContent')) {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(`data: ${JSON.stringify(generateResponse)}\r\n\r\n`);
  } else if (url.includes(':batchEmbedContents')) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ embeddings: [{ values: [0.1, 0.2, 0.3] }, { values: [0.4, 0.5, 0.6] }] }));
  } else if (url.includes(':countTokens')) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ totalTokens: 7 }));
  } else {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(generateResponse));
  }
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => answer(request, response, text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function sdk(): GoogleGenAI {
  return new GoogleGenAI({ apiKey, httpOptions: { baseUrl, apiVersion: 'v1beta' } });
}

function adapter(): GeminiAdapter {
  return new GeminiAdapter('gemini', geminiSettingsSchema.parse({ apiKey, baseUrl }));
}

function call(): CallOptions {
  return { signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger };
}

/** Sends with `send` and returns the one request the server saw. */
async function capture(send: () => Promise<unknown>): Promise<RecordedRequest> {
  const before = recorded.length;
  await send();
  expect(recorded.length).toBe(before + 1);
  return recorded[before];
}

/** The keys of a JSON value, all the way down (values replaced by their type). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape((value as Record<string, unknown>)[key])]));
  }
  return typeof value;
}

function expectSameRequest(ours: RecordedRequest, theirs: RecordedRequest): void {
  expect(ours.method).toBe(theirs.method);
  expect(ours.url).toBe(theirs.url);
  expect(ours.headers['x-goog-api-key']).toBe(theirs.headers['x-goog-api-key']);
  expect(ours.headers['content-type']).toBe(theirs.headers['content-type']);
  expect(ours.url).not.toContain(apiKey);
  expect(shape(ours.body)).toEqual(shape(theirs.body));
  // Equivalent requests: not only the same keys, the same values.
  expect(ours.body).toEqual(theirs.body);
}

const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const answerSchema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };

const canonicalRequest: ChatRequest = {
  model,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Answer briefly.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' }] },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: '', signature: 'c2ln' },
        { type: 'tool-call', id: 'call-1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
    },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call-1', content: [{ type: 'text', text: '{"celsius":21}' }] }] },
  ],
  tools: [{ name: 'get_weather', description: 'Weather for a city', parameters: weatherSchema }],
  toolChoice: { type: 'tool', name: 'get_weather' },
  temperature: 0.4,
  topP: 0.8,
  topK: 20,
  maxOutputTokens: 256,
  stopSequences: ['STOP!'],
  n: 1,
  seed: 3,
  presencePenalty: 0.5,
  frequencyPenalty: 0.25,
  responseFormat: { type: 'json-schema', name: 'answer', schema: answerSchema },
  reasoningBudgetTokens: 512,
};

const sdkParameters = {
  model,
  contents: [
    { role: 'user', parts: [{ text: 'Weather here?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] },
    { role: 'model', parts: [{ functionCall: { id: 'call-1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' }] },
    { role: 'user', parts: [{ functionResponse: { id: 'call-1', name: 'get_weather', response: { result: { celsius: 21 } } } }] },
  ],
  config: {
    systemInstruction: { parts: [{ text: 'Answer briefly.' }] },
    temperature: 0.4,
    topP: 0.8,
    topK: 20,
    maxOutputTokens: 256,
    stopSequences: ['STOP!'],
    candidateCount: 1,
    seed: 3,
    presencePenalty: 0.5,
    frequencyPenalty: 0.25,
    responseMimeType: 'application/json',
    responseJsonSchema: answerSchema,
    thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
    tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: weatherSchema }] }],
    toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
  },
} as const;

describe('gemini adapter against the @google/genai oracle', () => {
  it('sends generateContent as the SDK does', async () => {
    const theirs = await capture(() => sdk().models.generateContent(structuredClone(sdkParameters) as never));
    const ours = await capture(() => adapter().doChat(canonicalRequest, call()));
    expectSameRequest(ours, theirs);
    expect(ours.url).toBe(`/v1beta/models/${model}:generateContent`);
  });

  it('sends streamGenerateContent?alt=sse as the SDK does, and reads what the SDK reads', async () => {
    let sdkText = '';
    const theirs = await capture(async () => {
      for await (const chunk of await sdk().models.generateContentStream(structuredClone(sdkParameters) as never)) sdkText += chunk.text ?? '';
    });
    const events: ChatEvent[] = [];
    const ours = await capture(async () => {
      for await (const event of await adapter().doChatStream(canonicalRequest, call())) events.push(event);
    });
    expectSameRequest(ours, theirs);
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(text).toBe(sdkText);
    expect(events[events.length - 1]).toMatchObject({ type: 'finish', usage: { inputTokens: 50, outputTokens: 6 } });
  });

  it('reads a non-streamed answer as the SDK does', async () => {
    const response = await sdk().models.generateContent(structuredClone(sdkParameters) as never);
    const result = await adapter().doChat(canonicalRequest, call());
    expect(result.choices[0].content).toEqual([{ type: 'text', text: response.text }]);
    expect(result.id).toBe(response.responseId);
  });

  it('embeds several inputs with batchEmbedContents as the SDK does', async () => {
    const theirs = await capture(() =>
      sdk().models.embedContent({ model: 'gemini-embedding-001', contents: ['first', 'second'], config: { outputDimensionality: 3 } }),
    );
    const ours = await capture(() => adapter().doEmbed({ model: 'gemini-embedding-001', input: ['first', 'second'], dimensions: 3 }, call()));
    expectSameRequest(ours, theirs);
  });

  it('counts tokens of a plain prompt as the SDK does', async () => {
    const theirs = await capture(() => sdk().models.countTokens({ model, contents: 'How many tokens is this?' }));
    let count = 0;
    const ours = await capture(async () => {
      count = await adapter().countTokens({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'How many tokens is this?' }] }] }, call());
    });
    expectSameRequest(ours, theirs);
    expect(count).toBe(7);
  });
});
