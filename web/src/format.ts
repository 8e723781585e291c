/** Display formats: money is integer micro-dollars, times are epoch ms. */

export function formatMoney(micros: number | undefined | null): string {
  if (micros === undefined || micros === null) return '–';
  const dollars = micros / 1_000_000;
  if (dollars !== 0 && Math.abs(dollars) < 0.01) return `$${dollars.toPrecision(2)}`;
  return `$${dollars.toFixed(2)}`;
}

export function formatCount(value: number | undefined | null): string {
  if (value === undefined || value === null) return '–';
  if (Math.abs(value) >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (Math.abs(value) >= 10_000) return `${(value / 1_000).toFixed(1)}k`;
  return String(value);
}

export function formatMs(value: number | undefined | null): string {
  if (value === undefined || value === null) return '–';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${Math.round(value)} ms`;
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);
}

export function formatShortTime(epochMs: number, spanMs: number): string {
  const iso = new Date(epochMs).toISOString();
  // Minutes tell apart nothing in a span of a few minutes (anomaly evidence of short buckets): show seconds.
  if (spanMs > 0 && spanMs < 10 * 60_000) return iso.slice(11, 19);
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : iso.slice(11, 16);
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '–';
  return `${((100 * part) / whole).toFixed(1)} %`;
}
