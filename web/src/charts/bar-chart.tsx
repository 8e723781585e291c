/** One bar: a label and its value. */
export interface Bar {
  label: string;
  value: number;
  /** Shown right of the bar instead of the formatted value. */
  note?: string;
}

interface BarChartProps {
  title: string;
  bars: Bar[];
  format: (value: number) => string;
  color?: string;
}

/** Horizontal bars, longest first as given: for breakdowns and top spenders. */
export function BarChart({ title, bars, format, color = '#3b6fd8' }: BarChartProps) {
  const maximum = Math.max(1e-9, ...bars.map((bar) => bar.value));
  const rowHeight = 22;
  const labelWidth = 200;
  const width = 560;
  const barWidth = width - labelWidth - 110;
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">no data in this range</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${bars.length * rowHeight + 4}`} role="img" style={{ maxWidth: `${width}px` }}>
          {bars.map((bar, index) => (
            <g key={`${bar.label}-${index}`} transform={`translate(0, ${index * rowHeight + 2})`}>
              <text x={labelWidth - 8} y={14} textAnchor="end" className="label">
                {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
              </text>
              <rect x={labelWidth} y={3} height={rowHeight - 8} width={Math.max(1, (bar.value / maximum) * barWidth)} fill={color} rx={2} />
              <text x={labelWidth + Math.max(1, (bar.value / maximum) * barWidth) + 6} y={14} className="label">
                {bar.note ?? format(bar.value)}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}
