import { describe, expect, it } from 'vitest';
import { decodeOtlpSpans, exportTraceServiceRequestSchema } from './otlp-decoding.js';
import { toExportTraceServiceRequest } from './otlp-encoding.js';
import type { TraceSpan } from './trace-types.js';

const owner = { organisationId: 'org-1', workspaceId: 'ws-1' };

function decode(body: unknown) {
  return decodeOtlpSpans(exportTraceServiceRequestSchema.parse(body), owner, undefined);
}

describe('OTLP JSON from applications', () => {
  it('reads back what the exporter writes (ids, times, typed attributes, status)', () => {
    const span: TraceSpan = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      parentSpanId: '1111111111111111',
      name: 'execute_tool search',
      kind: 'tool',
      startTime: 1_700_000_000_123,
      endTime: 1_700_000_000_456,
      status: 'error',
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', retries: 2, ratio: 0.5, cached: false, 'session.id': 'sess-9' },
    };
    const [decoded] = decode(toExportTraceServiceRequest([span], { 'service.name': 'app' }, '1')).spans;
    expect(decoded).toEqual({ ...span, sessionId: 'sess-9', attributes: { ...span.attributes, 'service.name': 'app' }, ...owner });
  });

  it('accepts base64 ids, maps GenAI operations to observation kinds, and rejects spans with bad ids alone', () => {
    const traceId = Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex').toString('base64');
    const spanId = Buffer.from('00f067aa0ba902b7', 'hex').toString('base64');
    const result = decode({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId, spanId, name: 'chat gpt-4o', startTimeUnixNano: 1_700_000_000_000_000_000, attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }] },
                { traceId, spanId: 'aaaaaaaaaaaaaaaa', name: 'retrieval docs', startTimeUnixNano: '5', attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'retrieval' } }] },
                { traceId: '00000000000000000000000000000000', spanId: 'bbbbbbbbbbbbbbbb', name: 'zero', startTimeUnixNano: '1' },
                { traceId, spanId, name: '', startTimeUnixNano: '1' },
              ],
            },
          ],
        },
      ],
    });
    expect(result.spans.map((span) => [span.traceId, span.spanId, span.kind])).toEqual([
      ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 'generation'],
      ['4bf92f3577b34da6a3ce929d0e0e4736', 'aaaaaaaaaaaaaaaa', 'retrieval'],
    ]);
    expect(result.rejected).toBe(2);
    expect(result.errorMessage).toContain('hex ids');
  });
});
