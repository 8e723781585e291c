import { describe, expect, it } from 'vitest';
import { decodeOtlpSpans, exportTraceServiceRequestSchema } from './otlp-decoding.js';
import { decodeExportTraceServiceRequest, encodeExportTraceServiceResponse } from './otlp-protobuf.js';

import { otlpRequestType, otlpResponseType } from './test-support/otlp-proto.js';

const Request = otlpRequestType;
const Response = otlpResponseType;
const hex = (value: string) => Buffer.from(value, 'hex');

describe('OTLP protobuf', () => {
  it('decodes an ExportTraceServiceRequest into the JSON mapping, every value type, skipping unknown fields', () => {
    const bytes = Request.encode(
      Request.fromObject({
        resource_spans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { string_value: 'py-agent' } }], dropped_attributes_count: 3 },
            scope_spans: [
              {
                scope: { name: 'opentelemetry.instrumentation.openai', version: '1.0' },
                spans: [
                  {
                    trace_id: hex('4bf92f3577b34da6a3ce929d0e0e4736'),
                    span_id: hex('00f067aa0ba902b7'),
                    parent_span_id: hex('1111111111111111'),
                    trace_state: 'vendor=1',
                    name: 'chat gpt-4o-mini',
                    kind: 3,
                    start_time_unix_nano: '1700000000123000000',
                    end_time_unix_nano: '1700000000456000000',
                    attributes: [
                      { key: 'gen_ai.operation.name', value: { string_value: 'chat' } },
                      { key: 'gen_ai.usage.input_tokens', value: { int_value: 1200 } },
                      { key: 'offset', value: { int_value: -5 } },
                      { key: 'temperature', value: { double_value: 0.25 } },
                      { key: 'gen_ai.request.stream', value: { bool_value: true } },
                      { key: 'gen_ai.response.finish_reasons', value: { array_value: { values: [{ string_value: 'stop' }, { string_value: 'length' }] } } },
                    ],
                    events: [{ time_unix_nano: '1700000000200000000', name: 'ignored' }],
                    status: { message: 'boom', code: 2 },
                    flags: 1,
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();
    const decoded = decodeExportTraceServiceRequest(bytes);
    expect(decoded).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'py-agent' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId: '00f067aa0ba902b7',
                  parentSpanId: '1111111111111111',
                  name: 'chat gpt-4o-mini',
                  kind: 3,
                  startTimeUnixNano: '1700000000123000000',
                  endTimeUnixNano: '1700000000456000000',
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: '1200' } },
                    { key: 'offset', value: { intValue: '-5' } },
                    { key: 'temperature', value: { doubleValue: 0.25 } },
                    { key: 'gen_ai.request.stream', value: { boolValue: true } },
                    { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }, { stringValue: 'length' }] } } },
                  ],
                  status: { code: 2 },
                },
              ],
            },
          ],
        },
      ],
    });
    const [span] = decodeOtlpSpans(exportTraceServiceRequestSchema.parse(decoded), {}, undefined).spans;
    expect(span).toMatchObject({ kind: 'generation', status: 'error', startTime: 1_700_000_000_123, endTime: 1_700_000_000_456, attributes: { 'service.name': 'py-agent', 'gen_ai.usage.input_tokens': 1200, 'gen_ai.response.finish_reasons': 'stop,length' } });
  });

  it('refuses bytes that are not a protobuf message', () => {
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x0a, 0x05, 0x01]))).toThrow('truncated');
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x0b]))).toThrow('wire type');
  });

  it('encodes the ExportTraceServiceResponse: empty on success, partial_success otherwise', () => {
    expect(encodeExportTraceServiceResponse()).toHaveLength(0);
    const decoded = Response.toObject(Response.decode(encodeExportTraceServiceResponse({ rejectedSpans: '300', errorMessage: 'span x: bad ids' })), { longs: String });
    expect(decoded).toEqual({ partial_success: { rejected_spans: '300', error_message: 'span x: bad ids' } });
  });
});
