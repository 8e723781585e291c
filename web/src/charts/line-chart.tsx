import { formatShortTime } from '../format.js';

/** One line of a chart: its values per point (null: nothing measured there). */
export interface ChartSeries {
  name: string;
  color: string;
  values: Array<number | null>;
}

/** A shaded band between two bounds per point (null: no band there), e.g. a detector's normal range. */
export interface ChartBand {
  name: string;
  color: string;
  lower: Array<number | null>;
  upper: Array<number | null>;
}

interface LineChartProps {
  title: string;
  /** Start time of each point, epoch ms. */
  times: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  /** Fill the area under the first series. */
  area?: boolean;
  /** Shaded behind the lines. */
  band?: ChartBand;
  height?: number;
}

const width = 560;
const padding = { left: 56, right: 12, top: 12, bottom: 24 };

/** A small SVG line (or area) chart over time, with a few axis labels, a legend and an optional shaded band. */
export function LineChart({ title, times, series, format, area = false, band, height = 180 }: LineChartProps) {
  const plotWidth = width - padding.left - padding.right;
  const plotHeight = height - padding.top - padding.bottom;
  const all = series.flatMap((line) => line.values.filter((value): value is number => value !== null));
  const bandTop = band?.upper.filter((value): value is number => value !== null) ?? [];
  const maximum = Math.max(1e-9, ...all, ...bandTop);
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
  // The band's shape: along the upper bound, back along the lower one (clipped at 0, the chart's floor), one
  // polygon per run of points that have both.
  const bandPaths: string[] = [];
  if (band !== undefined) {
    let run: number[] = [];
    const close = () => {
      if (run.length > 0) {
        const top = run.map((index) => `${x(index).toFixed(1)},${y(band.upper[index] as number).toFixed(1)}`);
        const bottom = [...run].reverse().map((index) => `${x(index).toFixed(1)},${y(Math.max(0, band.lower[index] as number)).toFixed(1)}`);
        bandPaths.push(`M${[...top, ...bottom].join(' L')} Z`);
      }
      run = [];
    };
    times.forEach((_time, index) => {
      if (band.upper[index] === null || band.upper[index] === undefined || band.lower[index] === null || band.lower[index] === undefined) close();
      else run.push(index);
    });
    close();
  }
  const ticks = [0, 0.5, 1].map((fraction) => fraction * maximum);
  const labelEvery = Math.max(1, Math.ceil(times.length / 6));
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        {title}
        <span className="legend">
          {band === undefined ? null : (
            <span>
              <i style={{ background: band.color, opacity: 0.35 }} />
              {band.name}
            </span>
          )}
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
        {band === undefined ? null : bandPaths.map((path) => <path key={path} d={path} fill={band.color} opacity={0.2} className="band" />)}
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
