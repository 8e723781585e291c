import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP JSON receiver decodes it, attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  statusCode: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** A local OTLP/HTTP collector for tests: decodes every export it receives. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT/v1/traces`. */
  url: string;
  spans: ReceivedSpan[];
  /** Headers of each export request. */
  requests: Array<Record<string, string | string[] | undefined>>;
  /** Answers the next `count` exports with `status` (then 200 again). */
  failNext(count: number, status: number): void;
  /** Resolves once at least `count` spans arrived (rejects after `timeoutMs`). */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type AnyValue = { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: AnyValue[] } };

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) {
    if (typeof value.intValue !== 'string') throw new Error('OTLP JSON int64 values must be strings');
    return Number(value.intValue);
  }
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return value.arrayValue.values.map(valueOf);
  throw new Error(`unknown OTLP value ${JSON.stringify(value)}`);
}

function attributesOf(list: Array<{ key: string; value: AnyValue }> | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)]));
}

/** Starts the receiver on a random local port. It answers 400 to anything that is not an OTLP JSON export. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const waiters: Array<() => void> = [];
  let failures: { count: number; status: number } = { count: 0, status: 200 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ ...request.headers });
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        response.writeHead(failures.status).end();
        return;
      }
      try {
        if (request.url !== '/v1/traces' || request.headers['content-type'] !== 'application/json') throw new Error('not an OTLP JSON export');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: AnyValue }> }; scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
        };
        for (const resourceSpans of body.resourceSpans) {
          const resource = attributesOf(resourceSpans.resource.attributes);
          for (const scopeSpans of resourceSpans.scopeSpans) {
            for (const span of scopeSpans.spans) {
              if (!/^[0-9a-f]{32}$/.test(String(span.traceId)) || !/^[0-9a-f]{16}$/.test(String(span.spanId))) throw new Error('ids must be lower-case hex');
              if (!/^\d+$/.test(String(span.startTimeUnixNano)) || !/^\d+$/.test(String(span.endTimeUnixNano))) throw new Error('times must be unix nanos as strings');
              spans.push({
                traceId: String(span.traceId),
                spanId: String(span.spanId),
                parentSpanId: span.parentSpanId as string | undefined,
                name: String(span.name),
                kind: Number(span.kind),
                startTimeUnixNano: String(span.startTimeUnixNano),
                endTimeUnixNano: String(span.endTimeUnixNano),
                statusCode: Number((span.status as { code?: number } | undefined)?.code ?? 0),
                attributes: attributesOf(span.attributes as Array<{ key: string; value: AnyValue }>),
                resource,
              });
            }
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(error) }));
      }
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    requests,
    failNext(count, status) {
      failures = { count, status };
    },
    async waitForSpans(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (spans.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} spans at the receiver, got ${spans.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return spans;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
