// The per-request counters and histograms, kept in plain objects and rendered in the Prometheus text format at
// scrape time. Why not prom-client's own: its labelled child still validates and hashes the label object on
// every observe and finds the bucket through a numeric property name, about a microsecond an observation, and
// a request makes up to nine of them. Here a cell is looked up once per label combination (one joined key)
// and an observation is a bucket search over a short array and three additions. The label values are bounded
// by the caller (see ModelLabelFilter); the families keep every combination they are given.

/** A metric family `render` can write: its cells in the exposition format. */
export interface RenderedFamily {
  render(lines: string[]): void;
}

/** One labelled counter. */
export interface CounterCell {
  inc(amount?: number): void;
}

/** One labelled histogram. */
export interface HistogramCell {
  observe(value: number): void;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** `a="x",b="y"` for the given names and values (empty for none). */
function labelText(names: readonly string[], values: readonly string[]): string {
  let text = '';
  for (let index = 0; index < names.length; index += 1) {
    if (index > 0) text += ',';
    text += `${names[index]}="${escapeLabelValue(values[index] ?? '')}"`;
  }
  return text;
}

abstract class Family<Cell> implements RenderedFamily {
  protected readonly cells = new Map<string, { labels: string; cell: Cell }>();

  constructor(
    protected readonly name: string,
    private readonly help: string,
    private readonly type: 'counter' | 'histogram',
    private readonly labelNames: readonly string[],
  ) {}

  /** The cell of these label values (in the order of the family's label names), created on first use. */
  cell(...values: string[]): Cell {
    const key = values.join('\u0001');
    let entry = this.cells.get(key);
    if (entry === undefined) {
      entry = { labels: labelText(this.labelNames, values), cell: this.createCell() };
      this.cells.set(key, entry);
    }
    return entry.cell;
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`);
    for (const { labels, cell } of this.cells.values()) this.renderCell(lines, labels, cell);
  }

  protected abstract createCell(): Cell;
  protected abstract renderCell(lines: string[], labels: string, cell: Cell): void;
}

class CounterValue implements CounterCell {
  value = 0;

  inc(amount = 1): void {
    this.value += amount;
  }
}

/** A counter family (name ending in `_total`, as the exposition format asks). */
export class CounterFamily extends Family<CounterValue> {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, 'counter', labelNames);
  }

  protected createCell(): CounterValue {
    return new CounterValue();
  }

  protected renderCell(lines: string[], labels: string, cell: CounterValue): void {
    lines.push(`${this.name}${labels === '' ? '' : `{${labels}}`} ${cell.value}`);
  }
}

class HistogramValue implements HistogramCell {
  /** Observations per bucket, not cumulative; the last entry is above every bound (`+Inf` only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    // Not a number: prom-client threw; a metric must never fail a request, so the value is dropped.
    if (!Number.isFinite(value)) return;
    let index = 0;
    while (index < this.bounds.length && value > this.bounds[index]) index += 1;
    this.counts[index] += 1;
    this.sum += value;
    this.count += 1;
  }
}

/** A histogram family with fixed upper bounds (ascending), rendered as cumulative `_bucket` lines, `_sum` and `_count`. */
export class HistogramFamily extends Family<HistogramValue> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    super(name, help, 'histogram', labelNames);
  }

  protected createCell(): HistogramValue {
    return new HistogramValue(this.bounds);
  }

  protected renderCell(lines: string[], labels: string, value: HistogramValue): void {
    const suffix = labels === '' ? '' : `,${labels}`;
    let cumulative = 0;
    for (let index = 0; index < this.bounds.length; index += 1) {
      cumulative += value.counts[index];
      lines.push(`${this.name}_bucket{le="${this.bounds[index]}"${suffix}} ${cumulative}`);
    }
    lines.push(`${this.name}_bucket{le="+Inf"${suffix}} ${value.count}`);
    const braces = labels === '' ? '' : `{${labels}}`;
    lines.push(`${this.name}_sum${braces} ${value.sum}`, `${this.name}_count${braces} ${value.count}`);
  }
}

/** The exposition text of these families (each with its HELP and TYPE lines), ending in a newline. */
export function renderFamilies(families: readonly RenderedFamily[]): string {
  const lines: string[] = [];
  for (const family of families) family.render(lines);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
