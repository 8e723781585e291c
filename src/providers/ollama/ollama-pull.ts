import { z } from 'zod';
import { abortError } from '../../kit/abort.js';
import { decodeNdjson } from '../../kit/ndjson-decoder.js';
import { GatewayError, isGatewayError, type UpstreamBody } from '../../spec/index.js';
import type { ModelPullProgress } from '../provider-definition.js';
import { ollamaErrorMessage } from './ollama-wire.js';

/** One line of `POST /api/pull`'s NDJSON stream (Ollama's `StatusEvent`). */
const ollamaPullLineSchema = z.looseObject({
  status: z.string(),
  digest: z.string().optional(),
  total: z.number().int().nonnegative().optional(),
  completed: z.number().int().nonnegative().optional(),
});

/**
 * Reads the progress lines of `POST /api/pull` (streamed): each `{ status, digest?, total?, completed? }` is
 * yielded as it arrives, ending after the `success` line. Throws a GatewayError for an `{"error": ...}` line
 * (Ollama reports a failed pull that way with status 200), a line that is not a status, a stream that ends
 * before `success` (the official client throws there too), or an abort.
 */
export async function* readOllamaPullProgress(body: UpstreamBody, providerName: string, signal: AbortSignal): AsyncGenerator<ModelPullProgress> {
  const lines = decodeNdjson(body);
  for (;;) {
    if (signal.aborted) throw abortError(signal);
    let next: IteratorResult<unknown>;
    try {
      next = await lines.next();
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      if (isGatewayError(error)) throw error;
      if (error instanceof SyntaxError) throw new GatewayError('upstream_bad_response', `${providerName} sent a pull progress line that is not JSON`, { cause: error });
      throw new GatewayError('upstream_connection_error', `${providerName}: the pull stream failed while reading`, { cause: error });
    }
    if (next.done) throw new GatewayError('upstream_connection_error', `${providerName}: the pull stream ended before the success line`);
    const errorMessage = ollamaErrorMessage(next.value);
    if (errorMessage !== undefined) throw new GatewayError('upstream_error', `${providerName}: ${errorMessage}`);
    const parsed = ollamaPullLineSchema.safeParse(next.value);
    if (!parsed.success) throw new GatewayError('upstream_bad_response', `${providerName} sent a pull progress line without a status`);
    const { status, digest, total, completed } = parsed.data;
    yield { status, ...(digest === undefined ? {} : { digest }), ...(total === undefined ? {} : { total }), ...(completed === undefined ? {} : { completed }) };
    if (status === 'success') return;
  }
}
