/** One bar of a waterfall: when it started and ended (epoch ms), nested `depth` levels deep. */
export interface WaterfallItem {
  id: string;
  label: string;
  start: number;
  end: number;
  depth: number;
  status: 'ok' | 'error';
  detail?: string;
}

/** A timings waterfall: one row per item, bars placed on a shared time axis starting at the first item. */
export function Waterfall({ title, items }: { title: string; items: WaterfallItem[] }) {
  if (items.length === 0) return <p className="muted">No timings.</p>;
  const origin = Math.min(...items.map((item) => item.start));
  const total = Math.max(1, Math.max(...items.map((item) => item.end)) - origin);
  const width = 760;
  const labelWidth = 240;
  const rowHeight = 22;
  const scale = (width - labelWidth - 70) / total;
  return (
    <figure className="chart waterfall" aria-label={title}>
      <figcaption>
        {title} <span className="muted">({Math.round(total)} ms)</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${items.length * rowHeight + 4}`} role="img" style={{ maxWidth: `${width}px` }}>
        {items.map((item, index) => {
          const x = labelWidth + (item.start - origin) * scale;
          const barWidth = Math.max(2, (item.end - item.start) * scale);
          return (
            <g key={item.id} transform={`translate(0, ${index * rowHeight + 2})`}>
              <title>{item.detail ?? item.label}</title>
              <text x={8 + item.depth * 12} y={14} className="label">
                {item.label.length > 30 ? `${item.label.slice(0, 29)}…` : item.label}
              </text>
              <rect x={x} y={3} width={barWidth} height={rowHeight - 8} rx={2} fill={item.status === 'error' ? '#d64545' : '#3b6fd8'} />
              <text x={x + barWidth + 4} y={14} className="label muted">
                {Math.round(item.end - item.start)} ms
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
