import { describe, expect, it } from 'vitest';
import type { UpstreamBody } from '../../spec/index.js';
import { readOllamaPullProgress } from './ollama-pull.js';

/** A body delivering `chunks` as they are (lines may be split across chunks, as on the network). */
function bodyOf(...chunks: string[]): UpstreamBody {
  return {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    },
    text: async () => chunks.join(''),
    dump: async () => undefined,
  };
}

async function collect(body: UpstreamBody, signal = new AbortController().signal) {
  const seen: unknown[] = [];
  try {
    for await (const progress of readOllamaPullProgress(body, 'gpu', signal)) seen.push(progress);
    return { seen };
  } catch (error) {
    return { seen, error };
  }
}

describe('readOllamaPullProgress', () => {
  it('yields each status line, split or not, and stops after success', async () => {
    const { seen, error } = await collect(
      bodyOf('{"status":"pulling manifest"}\n{"status":"pulling 6a07","digest":"sha256:6a07",', '"total":10,"completed":5}\n{"status":"success"}\n{"status":"ignored"}\n'),
    );
    expect(error).toBeUndefined();
    expect(seen).toEqual([{ status: 'pulling manifest' }, { status: 'pulling 6a07', digest: 'sha256:6a07', total: 10, completed: 5 }, { status: 'success' }]);
  });

  it('throws the server\'s error line as upstream_error', async () => {
    const { seen, error } = await collect(bodyOf('{"status":"pulling manifest"}\n{"error":"pull model manifest: file does not exist"}\n'));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ code: 'upstream_error', message: 'gpu: pull model manifest: file does not exist' });
  });

  it('refuses a stream that ends before success, and lines that are not statuses', async () => {
    expect((await collect(bodyOf('{"status":"pulling manifest"}\n'))).error).toMatchObject({ code: 'upstream_connection_error' });
    expect((await collect(bodyOf('not json\n'))).error).toMatchObject({ code: 'upstream_bad_response' });
    expect((await collect(bodyOf('{"progress":1}\n'))).error).toMatchObject({ code: 'upstream_bad_response' });
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    expect((await collect(bodyOf('{"status":"pulling manifest"}\n'), controller.signal)).seen).toEqual([]);
  });
});
