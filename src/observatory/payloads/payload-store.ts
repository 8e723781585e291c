/** How much of a request's prompt and completion is kept. */
export const payloadModes = ['full', 'redacted', 'metadata'] as const;
export type PayloadMode = (typeof payloadModes)[number];

/** A capture policy's modes: a stored mode, or `off` (nothing is stored for the request, not even its size). */
export type CaptureMode = PayloadMode | 'off';

/**
 * What payload capture writes for one request: its metadata pairs always; the prompt (the client's JSON body)
 * and completion text unless the mode is `metadata`, masked in mode `redacted`, cut at the size cap.
 */
export interface CapturedRequest {
  requestId: string;
  /** The request's start (its ledger row's timestamp), epoch ms. */
  timestamp: number;
  mode: PayloadMode;
  /** The body's `metadata` object, string values only (empty when none). */
  metadata: Record<string, string>;
  /** Size of the whole body's JSON and of the completion text, in UTF-8 bytes, before any cut. */
  requestBytes: number;
  responseBytes: number;
  /** Messages in the prompt (chat `messages`, or embedding inputs); 0 when unknown. */
  messageCount: number;
  /** The body as JSON text (possibly cut), absent in mode `metadata`. */
  requestText?: string;
  /** The completion text (possibly cut), absent in mode `metadata`. */
  responseText?: string;
  /** True when the request or the response text was cut at the size cap. */
  truncated: boolean;
  /** The words the free-text search indexes: the prompt's message text and the completion. */
  searchText?: string;
}

/** A stored payload as the admin API shows it. */
export interface StoredPayload {
  requestId: string;
  timestamp: number;
  mode: PayloadMode;
  requestBytes: number;
  responseBytes: number;
  messageCount: number;
  truncated: boolean;
  /** The body: parsed JSON, or the JSON text itself when it was cut. Absent in mode `metadata`. */
  request?: unknown;
  response?: { text: string };
}

/**
 * Where captured payloads and request metadata are kept. Payload text is pruned sooner than metadata, which
 * lives as long as the usage rows (the request explorer filters rows by it).
 *
 * Contract (`describePayloadStoreContract`): `append` ignores a request id already stored; `get` returns the
 * payload or `undefined` when none is stored (or it was pruned); `prune` / `pruneMetadata` delete entries
 * with `timestamp < olderThan`, oldest first, at most `limit` when given, and return how many they deleted.
 */
export interface PayloadStore {
  append(captures: CapturedRequest[]): Promise<void>;
  get(requestId: string): Promise<StoredPayload | undefined>;
  metadataOf(requestId: string): Promise<Record<string, string>>;
  prune(olderThan: number, limit?: number): Promise<number>;
  pruneMetadata(olderThan: number, limit?: number): Promise<number>;
}

/** The stored request text back into what the API shows: parsed JSON, or the text when it was cut. */
export function requestOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
