import { describe, expect, it } from 'vitest';
import { formatTraceParent, isSampled, newSpanId, newTraceId, parseTraceParent } from './trace-ids.js';

describe('W3C traceparent', () => {
  it('reads a valid header and writes one back', () => {
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(parseTraceParent(header)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    expect(formatTraceParent('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', true)).toBe(header);
    expect(parseTraceParent('00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00')?.sampled).toBe(false);
  });

  it('ignores invalid headers (the gateway then starts a trace of its own)', () => {
    for (const header of [
      undefined,
      '',
      'garbage',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
    ]) {
      expect(parseTraceParent(header)).toBeUndefined();
    }
    // A later version may carry more fields; its first four are read.
    expect(parseTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra')?.spanId).toBe('00f067aa0ba902b7');
  });

  it('makes distinct, well-formed ids', () => {
    const traces = new Set(Array.from({ length: 1000 }, newTraceId));
    const spans = new Set(Array.from({ length: 1000 }, newSpanId));
    expect(traces.size).toBe(1000);
    expect(spans.size).toBe(1000);
    for (const id of traces) expect(id).toMatch(/^[0-9a-f]{32}$/);
    for (const id of spans) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('puts the time first, so ids made later sort after earlier ones (the ledger index appends), the rest random', () => {
    const earlier = Array.from({ length: 200 }, () => newTraceId(1_764_000_000_000));
    const later = Array.from({ length: 200 }, () => newTraceId(1_764_000_000_001));
    expect(new Set([...earlier, ...later]).size).toBe(400);
    expect(earlier.every((id) => id.startsWith('019ab697e800'))).toBe(true);
    expect(earlier.every((id) => later.every((next) => id < next))).toBe(true);
    // The right-most bytes differ between ids of the same millisecond: the sampler and W3C level 2 read them.
    expect(new Set(earlier.map((id) => id.slice(18))).size).toBe(200);
  });

  it('samples by ratio, the same way for the same trace, and always follows a sampled parent', () => {
    const ids = Array.from({ length: 4000 }, newTraceId);
    const kept = ids.filter((id) => isSampled(id, 0.25, undefined)).length;
    expect(kept).toBeGreaterThan(800);
    expect(kept).toBeLessThan(1200);
    expect(ids.every((id) => isSampled(id, 0.25, undefined) === isSampled(id, 0.25, false))).toBe(true);
    expect(ids.every((id) => isSampled(id, 0, true))).toBe(true);
    expect(ids.some((id) => isSampled(id, 0, undefined))).toBe(false);
  });
});
