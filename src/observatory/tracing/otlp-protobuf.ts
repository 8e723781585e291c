/**
 * OTLP/HTTP with protobuf encoding (`application/x-protobuf`, the default of several OpenTelemetry SDKs),
 * read without a protobuf library: the messages of `opentelemetry/proto/collector/trace/v1` are decoded
 * straight into the JSON mapping that `decodeOtlpSpans` reads, with the field numbers of opentelemetry-proto
 * v1. Unknown fields are skipped, as protobuf requires.
 */

/** A protobuf wire-format reader over one message's bytes. */
class ProtobufReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wireType: number } {
    const key = this.varint();
    return { field: Number(key >> 3n), wireType: Number(key & 7n) };
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.offset >= this.bytes.length) throw new Error('truncated varint');
      const byte = this.bytes[this.offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error('varint too long');
  }

  fixed64(): bigint {
    const view = this.view(8);
    return view.getBigUint64(0, true);
  }

  double(): number {
    return this.view(8).getFloat64(0, true);
  }

  /** A length-delimited field's bytes. */
  bytesField(): Uint8Array {
    const length = Number(this.varint());
    if (this.offset + length > this.bytes.length) throw new Error('truncated field');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  string(): string {
    return Buffer.from(this.bytesField()).toString('utf8');
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.view(8);
    else if (wireType === 2) this.bytesField();
    else if (wireType === 5) this.view(4);
    else throw new Error(`unsupported wire type ${wireType}`);
  }

  private view(size: number): DataView {
    if (this.offset + size > this.bytes.length) throw new Error('truncated field');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, size);
    this.offset += size;
    return view;
  }
}

/** Calls `onField` for each field of a message; the handler reads the value or returns false to skip it. */
function readMessage(bytes: Uint8Array, onField: (reader: ProtobufReader, field: number, wireType: number) => boolean): void {
  const reader = new ProtobufReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (!onField(reader, field, wireType)) reader.skip(wireType);
  }
}

type JsonAnyValue = Record<string, unknown>;

// AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 ArrayValue { 1 repeated AnyValue }, 6 KeyValueList, 7 bytes.
function anyValue(bytes: Uint8Array): JsonAnyValue {
  let value: JsonAnyValue = {};
  readMessage(bytes, (reader, field, wireType) => {
    if (field === 1 && wireType === 2) value = { stringValue: reader.string() };
    else if (field === 2 && wireType === 0) value = { boolValue: reader.varint() !== 0n };
    else if (field === 3 && wireType === 0) value = { intValue: BigInt.asIntN(64, reader.varint()).toString() };
    else if (field === 4 && wireType === 1) value = { doubleValue: reader.double() };
    else if (field === 5 && wireType === 2) {
      const values: JsonAnyValue[] = [];
      readMessage(reader.bytesField(), (inner, innerField, innerType) => {
        if (innerField !== 1 || innerType !== 2) return false;
        values.push(anyValue(inner.bytesField()));
        return true;
      });
      value = { arrayValue: { values } };
    } else if (field === 6 && wireType === 2) value = { kvlistValue: { values: keyValues(reader.bytesField()) } };
    else if (field === 7 && wireType === 2) value = { bytesValue: Buffer.from(reader.bytesField()).toString('base64') };
    else return false;
    return true;
  });
  return value;
}

// KeyValueList / Resource / ...: repeated KeyValue { 1 key, 2 AnyValue } in field 1.
function keyValues(bytes: Uint8Array): Array<{ key: string; value: JsonAnyValue }> {
  const list: Array<{ key: string; value: JsonAnyValue }> = [];
  readMessage(bytes, (reader, field, wireType) => {
    if (field !== 1 || wireType !== 2) return false;
    list.push(keyValue(reader.bytesField()));
    return true;
  });
  return list;
}

function keyValue(bytes: Uint8Array): { key: string; value: JsonAnyValue } {
  let key = '';
  let value: JsonAnyValue = {};
  readMessage(bytes, (reader, field, wireType) => {
    if (field === 1 && wireType === 2) key = reader.string();
    else if (field === 2 && wireType === 2) value = anyValue(reader.bytesField());
    else return false;
    return true;
  });
  return { key, value };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start (fixed64), 8 end (fixed64),
// 9 attributes, 15 Status { 2 message, 3 code }.
function span(bytes: Uint8Array): Record<string, unknown> {
  const decoded: Record<string, unknown> = { attributes: [] };
  const attributes = decoded.attributes as unknown[];
  readMessage(bytes, (reader, field, wireType) => {
    if (field === 1 && wireType === 2) decoded.traceId = hex(reader.bytesField());
    else if (field === 2 && wireType === 2) decoded.spanId = hex(reader.bytesField());
    else if (field === 4 && wireType === 2) decoded.parentSpanId = hex(reader.bytesField());
    else if (field === 5 && wireType === 2) decoded.name = reader.string();
    else if (field === 6 && wireType === 0) decoded.kind = Number(reader.varint());
    else if (field === 7 && wireType === 1) decoded.startTimeUnixNano = reader.fixed64().toString();
    else if (field === 8 && wireType === 1) decoded.endTimeUnixNano = reader.fixed64().toString();
    else if (field === 9 && wireType === 2) attributes.push(keyValue(reader.bytesField()));
    else if (field === 15 && wireType === 2) {
      const status: Record<string, unknown> = {};
      readMessage(reader.bytesField(), (inner, innerField, innerType) => {
        if (innerField !== 3 || innerType !== 0) return false;
        status.code = Number(inner.varint());
        return true;
      });
      decoded.status = status;
    } else return false;
    return true;
  });
  return decoded;
}

/**
 * Decodes an `ExportTraceServiceRequest` (1 repeated ResourceSpans { 1 Resource, 2 repeated ScopeSpans
 * { 2 repeated Span } }) into its JSON mapping. Throws on bytes that are not a valid protobuf message.
 */
export function decodeExportTraceServiceRequest(bytes: Uint8Array): { resourceSpans: unknown[] } {
  const resourceSpans: unknown[] = [];
  readMessage(bytes, (reader, field, wireType) => {
    if (field !== 1 || wireType !== 2) return false;
    const entry: { resource?: { attributes: unknown[] }; scopeSpans: Array<{ spans: unknown[] }> } = { scopeSpans: [] };
    readMessage(reader.bytesField(), (inner, innerField, innerType) => {
      if (innerField === 1 && innerType === 2) entry.resource = { attributes: keyValues(inner.bytesField()) };
      else if (innerField === 2 && innerType === 2) {
        const spans: unknown[] = [];
        readMessage(inner.bytesField(), (scope, scopeField, scopeType) => {
          if (scopeField !== 2 || scopeType !== 2) return false;
          spans.push(span(scope.bytesField()));
          return true;
        });
        entry.scopeSpans.push({ spans });
      } else return false;
      return true;
    });
    resourceSpans.push(entry);
    return true;
  });
  return { resourceSpans };
}

function varintBytes(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return bytes;
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([...varintBytes(BigInt((field << 3) | 2)), ...varintBytes(BigInt(payload.length)), ...payload]);
}

/**
 * Encodes an `ExportTraceServiceResponse`: empty on full success, else `partial_success` (1)
 * { rejected_spans (1, int64), error_message (2) }.
 */
export function encodeExportTraceServiceResponse(partial?: { rejectedSpans: string; errorMessage: string }): Uint8Array {
  if (partial === undefined) return new Uint8Array(0);
  const message = Buffer.from(partial.errorMessage, 'utf8');
  const inner = Uint8Array.from([...varintBytes(8n), ...varintBytes(BigInt(partial.rejectedSpans)), ...lengthDelimited(2, message)]);
  return lengthDelimited(1, inner);
}
