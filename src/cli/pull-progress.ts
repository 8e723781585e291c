/**
 * Shows a model download's progress (`switchyard llm install`): on a terminal, one bar redrawn in place per
 * layer; elsewhere (a log, CI), plain lines — each new status, and each quarter of a layer — so the output
 * stays short and greppable.
 */

/** One progress report, as the pull route streams it. */
export interface PullProgressLine {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

/** Where and how to draw. */
export interface PullProgressOutput {
  write(text: string): void;
  /** True on a terminal: redraw a bar in place. */
  isTTY: boolean;
  /** Terminal width (80 when unknown). */
  columns?: number;
}

const barWidth = 30;

/** Bytes for people: 4.7 GB, 12 KB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Draws the progress of one pull. */
export class PullProgressRenderer {
  private lastStatus: string | undefined;
  private lastQuarter = -1;
  /** A bar is on screen without its newline yet. */
  private barOpen = false;

  constructor(private readonly output: PullProgressOutput) {}

  update(line: PullProgressLine): void {
    const hasBytes = line.total !== undefined && line.total > 0 && line.completed !== undefined;
    const statusChanged = line.status !== this.lastStatus;
    if (statusChanged) {
      this.closeBar();
      this.lastStatus = line.status;
      this.lastQuarter = -1;
    }
    if (!hasBytes) {
      if (statusChanged) this.output.write(`${line.status}\n`);
      return;
    }
    const fraction = Math.min(1, line.completed! / line.total!);
    if (this.output.isTTY) {
      const width = Math.max(10, Math.min(barWidth, (this.output.columns ?? 80) - line.status.length - 30));
      const filled = Math.round(fraction * width);
      const text = `${line.status} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatBytes(line.completed!)}/${formatBytes(line.total!)}`;
      // \r and "erase line": the bar is redrawn in place.
      this.output.write(`\r\u001b[2K${text}`);
      this.barOpen = true;
      return;
    }
    const quarter = Math.floor(fraction * 4);
    if (quarter > this.lastQuarter) {
      this.lastQuarter = quarter;
      this.output.write(`${line.status} ${quarter * 25}% (${formatBytes(line.completed!)} of ${formatBytes(line.total!)})\n`);
    }
  }

  /** Ends the bar's line (before printing anything else). */
  finish(): void {
    this.closeBar();
  }

  private closeBar(): void {
    if (!this.barOpen) return;
    this.output.write('\n');
    this.barOpen = false;
  }
}
