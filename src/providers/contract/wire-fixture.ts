import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A recorded exchange with a provider: what the adapter must send, what the provider answered, and what the
 * adapter must make of it. Stored as `__fixtures__/<case>.json`; a streamed body may sit beside it as
 * `<case>.chunks.txt` (the exact bytes on the wire).
 */
export interface WireFixture {
  /** The file's base name, filled in on load. */
  name: string;
  description: string;
  operation: 'chat' | 'chat-stream' | 'embed' | 'list-models';
  /** The canonical request handed to the adapter (ChatRequest or EmbedRequest). */
  request?: Record<string, unknown>;
  upstream: {
    request: {
      method: 'GET' | 'POST';
      url: string;
      /** Headers that must be present with these values (lower-case names); others are not checked. */
      headers?: Record<string, string>;
      /** The exact JSON body the adapter must send. */
      body?: unknown;
    };
    response: {
      status: number;
      headers?: Record<string, string>;
      /** A JSON body. */
      body?: unknown;
      /** A raw text body (used for garbage, or when `.chunks.txt` is absent for a stream). */
      bodyText?: string;
      /** Explicit chunk boundaries (each string is one TCP read). */
      chunks?: string[];
      /** The connection resets after the body so far (after `chunks`, or before any byte). */
      resetAfterBody?: boolean;
    };
  };
  expected: {
    /** A subset of the ChatResult / EmbedResult (deep-equal on the keys given). */
    result?: Record<string, unknown>;
    /** The whole event sequence (usage compared without `raw`). */
    events?: Array<Record<string, unknown>>;
    /** The exact usage (without `raw`), from the result or the terminal stream event. */
    usage?: Record<string, number>;
    /** The call fails: before streaming (rejects) or, for streams that started, as a terminal error event. */
    error?: { code: string; status?: number; retryable?: boolean; retryAfterSeconds?: number; inStream?: boolean };
  };
}

/** Loads every fixture of a folder, sorted by name. */
export function loadWireFixtures(directory: string): WireFixture[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.json'.length);
      const fixture = JSON.parse(readFileSync(join(directory, file), 'utf8')) as WireFixture;
      fixture.name = name;
      const chunksFile = join(directory, `${name}.chunks.txt`);
      if (existsSync(chunksFile) && fixture.upstream.response.chunks === undefined) {
        fixture.upstream.response.bodyText = readFileSync(chunksFile, 'utf8');
      }
      return fixture;
    });
}

/** The response body bytes of a fixture, as one string. */
export function fixtureBodyText(fixture: WireFixture): string {
  const response = fixture.upstream.response;
  if (response.chunks !== undefined) return response.chunks.join('');
  if (response.bodyText !== undefined) return response.bodyText;
  if (response.body !== undefined) return JSON.stringify(response.body);
  return '';
}
