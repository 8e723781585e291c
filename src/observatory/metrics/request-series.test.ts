import { describe, expect, it } from 'vitest';
import { CounterFamily, HistogramFamily, renderFamilies } from './request-series.js';

describe('request series', () => {
  it('render a histogram with cumulative buckets, +Inf, sum and count per label combination', () => {
    const latency = new HistogramFamily('op_seconds', 'How long.', ['model'], [0.1, 1]);
    latency.cell('a').observe(0.05);
    latency.cell('a').observe(0.1);
    latency.cell('a').observe(0.5);
    latency.cell('a').observe(7);
    latency.cell('b').observe(Number.NaN);
    expect(renderFamilies([latency]).split('\n')).toEqual([
      '# HELP op_seconds How long.',
      '# TYPE op_seconds histogram',
      'op_seconds_bucket{le="0.1",model="a"} 2',
      'op_seconds_bucket{le="1",model="a"} 3',
      'op_seconds_bucket{le="+Inf",model="a"} 4',
      'op_seconds_sum{model="a"} 7.65',
      'op_seconds_count{model="a"} 4',
      // A value that is not a number is dropped, never thrown: the cell exists, empty.
      'op_seconds_bucket{le="0.1",model="b"} 0',
      'op_seconds_bucket{le="1",model="b"} 0',
      'op_seconds_bucket{le="+Inf",model="b"} 0',
      'op_seconds_sum{model="b"} 0',
      'op_seconds_count{model="b"} 0',
      '',
    ]);
  });

  it('render counters, escaping label values and help text as the exposition format asks', () => {
    const requests = new CounterFamily('requests_total', 'Requests\\handled\nby model.', ['model', 'status']);
    requests.cell('say "hi"\\now\nthen', 'ok').inc();
    requests.cell('say "hi"\\now\nthen', 'ok').inc(2);
    requests.cell('plain', 'error').inc();
    expect(renderFamilies([requests])).toBe(
      [
        '# HELP requests_total Requests\\\\handled\\nby model.',
        '# TYPE requests_total counter',
        'requests_total{model="say \\"hi\\"\\\\now\\nthen",status="ok"} 3',
        'requests_total{model="plain",status="error"} 1',
        '',
      ].join('\n'),
    );
  });

  it('keep label combinations apart even when joined values would collide on a plain separator', () => {
    const family = new CounterFamily('pairs_total', 'Pairs.', ['left', 'right']);
    family.cell('a,b', 'c').inc();
    family.cell('a', 'b,c').inc(5);
    expect(renderFamilies([family])).toContain('pairs_total{left="a,b",right="c"} 1');
    expect(renderFamilies([family])).toContain('pairs_total{left="a",right="b,c"} 5');
  });
});
