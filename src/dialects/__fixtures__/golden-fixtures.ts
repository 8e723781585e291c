import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../spec/index.js';
import type { ChatEvent, ChatResult, ErrorCode } from '../../spec/index.js';
import type { EncodeContext } from '../dialect.js';

// Test support for the dialects' golden fixtures (imported by *.test.ts only). A case file holds the client's
// wire request, the canonical result and the encode context; the expected canonical request and wire
// response sit beside them (`decoded`, `response`) and streams' expected SSE text in `<case>.chunks.txt`.
// `UPDATE_GOLDEN=1` rewrites the expectations from the current code, to be reviewed in the diff.

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

/** A request/response case. */
export interface RoundTripCase {
  name: string;
  file: string;
  data: { description: string; request: unknown; context: EncodeContext; result: ChatResult; decoded?: unknown; response?: unknown };
}

/** A stream case: events in, SSE text out. */
export interface StreamCase {
  name: string;
  context: EncodeContext;
  events: ChatEvent[];
  chunksFile: string;
}

export function listRoundTripCases(directory: string): RoundTripCase[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json') && !file.endsWith('.events.json'))
    .map((file) => ({ name: file.replace(/\.json$/, ''), file: join(directory, file), data: JSON.parse(readFileSync(join(directory, file), 'utf8')) }));
}

/** Error events in fixtures are written as `{code, message, status?}`; they become GatewayErrors here. */
function reviveEvent(event: Record<string, unknown>): ChatEvent {
  if (event.type !== 'error') return event as unknown as ChatEvent;
  const error = event.error as { code: ErrorCode; message: string; status?: number };
  return { ...(event as object), error: new GatewayError(error.code, error.message, { status: error.status }) } as ChatEvent;
}

export function listStreamCases(directory: string): StreamCase[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.events.json'))
    .map((file) => {
      const data = JSON.parse(readFileSync(join(directory, file), 'utf8')) as { context: EncodeContext; events: Array<Record<string, unknown>> };
      const name = file.replace(/\.events\.json$/, '');
      return { name, context: data.context, events: data.events.map(reviveEvent), chunksFile: join(directory, `${name}.chunks.txt`) };
    });
}

export function readExpectedText(file: string, actual: string): string {
  if (updateGolden) writeFileSync(file, actual);
  return readFileSync(file, 'utf8');
}

/** Writes the case's expectations back (only with UPDATE_GOLDEN=1). */
export function saveRoundTripCase(testCase: RoundTripCase, decoded: unknown, response: unknown): void {
  if (!updateGolden) return;
  writeFileSync(testCase.file, `${JSON.stringify({ ...testCase.data, decoded, response }, null, 2)}\n`);
  testCase.data.decoded = decoded;
  testCase.data.response = response;
}

/** Splits SSE text into its events' data payloads (for schema checks). */
export function sseDataPayloads(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: '))?.slice(6) ?? '');
}
