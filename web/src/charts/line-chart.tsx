import { formatShortTime } from '../format.js';

/** One line of a chart: its values per point (null: nothing measured there). */
export interface ChartSeries {
  name: string;
  color: string;
  values: Array<number | null>;
}

interface LineChartProps {
  title: string;
  /** Start time of each point, epoch ms. */
  times: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  /** Fill the area under the first series. */
  area?: boolean;
  height?: number;
}

const width = 560;
const padding = { left: 56, right: 12, top: 12, bottom: 24 };

/** A small SVG line (or area) chart over time, with a few axis labels and a legend. */
export function LineChart({ title, times, series, format, area = false, height = 180 }: LineChartProps) {
  const plotWidth = width - padding.left - padding.right;
  const plotHeight = height - padding.top - padding.bottom;
  const all = series.flatMap((line) => line.values.filter((value): value is number => value !== null));
  const maximum = Math.max(1e-9, ...all);
  const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
  const x = (index: number) => padding.left + (times.length <= 1 ? plotWidth / 2 : (index / (times.length - 1)) * plotWidth);
  const y = (value: number) => padding.top + plotHeight - (value / maximum) * plotHeight;
  const pathOf = (values: Array<number | null>) => {
    let path = '';
    let drawing = false;
    values.forEach((value, index) => {
      if (value === null) {
        drawing = false;
        return;
      }
      path += `${drawing ? 'L' : 'M'}${x(index).toFixed(1)},${y(value).toFixed(1)} `;
      drawing = true;
    });
    return path.trim();
  };
  const ticks = [0, 0.5, 1].map((fraction) => fraction * maximum);
  const labelEvery = Math.max(1, Math.ceil(times.length / 6));
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        {title}
        <span className="legend">
          {series.map((line) => (
            <span key={line.name}>
              <i style={{ background: line.color }} />
              {line.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={padding.left} x2={width - padding.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={padding.left - 6} y={y(tick) + 4} textAnchor="end" className="axis">
              {all.length === 0 ? '' : format(tick)}
            </text>
          </g>
        ))}
        {times.map((time, index) =>
          index % labelEvery === 0 ? (
            <text key={time} x={x(index)} y={height - 6} textAnchor="middle" className="axis">
              {formatShortTime(time, span)}
            </text>
          ) : null,
        )}
        {area && series[0] !== undefined && all.length > 0 ? (
          <path d={`${pathOf(series[0].values.map((value) => value ?? 0))} L${x(times.length - 1)},${y(0)} L${x(0)},${y(0)} Z`} fill={series[0].color} opacity={0.15} />
        ) : null}
        {series.map((line) => (
          <g key={line.name}>
            <path d={pathOf(line.values)} fill="none" stroke={line.color} strokeWidth={2} />
            {line.values.map((value, index) => (value === null ? null : <circle key={index} cx={x(index)} cy={y(value)} r={2.5} fill={line.color} />))}
          </g>
        ))}
        {all.length === 0 ? (
          <text x={width / 2} y={height / 2} textAnchor="middle" className="axis">
            no data in this range
          </text>
        ) : null}
      </svg>
    </figure>
  );
}
