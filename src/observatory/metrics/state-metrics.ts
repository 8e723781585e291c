import { Counter, Gauge, type Registry } from 'prom-client';

/** A deployment's circuit as the router sees it (structural: the observatory does not import the gateway). */
export interface DeploymentStateLine {
  deploymentId: string;
  state: 'closed' | 'half-open' | 'open';
  inFlight: number;
}

/** A batched writer's counters (see `BatchedLedgerWriter.stats`). */
export interface WriteQueueStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
}

/** One budget in its current period. */
export interface BudgetStateLine {
  budgetId: string;
  /** `key`, `team`, `workspace` or `organisation`. */
  scope: string;
  /** `day`, `week` or `month`. */
  period: string;
  spentMicros: number;
  reservedMicros: number;
  limitMicros: number;
}

/**
 * Where the state gauges read from. Each is read only when Prometheus scrapes (`collect()`), never per
 * request. A source left out simply exports nothing.
 */
export interface GatewayStateSources {
  /** Every deployment the router knows (configured ones first). */
  deployments?: () => Iterable<DeploymentStateLine>;
  /**
   * The batched writers off the response path by a fixed name (`ledger`, ...): a name is a label value, so
   * it must come from code, never from data.
   */
  writeQueues?: Readonly<Record<string, () => WriteQueueStats>>;
  /** Every configured budget with its current state (may hit the store; runs once per scrape). */
  budgets?: () => Promise<BudgetStateLine[]>;
  /** Called when reading a source fails; the scrape still answers, without that source's series. */
  onError?: (source: string, error: Error) => void;
}

/** More deployments than this are not exported (direct-name deployments can be many); the count says so. */
export const maximumDeploymentSeries = 500;
/** More budgets than this: the most used ones are exported. */
export const maximumBudgetSeries = 1000;

const circuitValue = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Registers the state gauges in `registry`: circuit state and in-flight calls per deployment, the ledger
 * writer's queue, budget use. `isKnownDeployment` keeps client-chosen deployment ids out of the labels.
 */
export function registerStateMetrics(registry: Registry, sources: GatewayStateSources, isKnownDeployment: (deploymentId: string) => boolean): void {
  const report = (source: string, error: unknown) => sources.onError?.(source, error instanceof Error ? error : new Error(String(error)));
  const registers = [registry];

  if (sources.deployments !== undefined) {
    const readDeployments = sources.deployments;
    let lines: DeploymentStateLine[] = [];
    let omitted = 0;
    // One read per scrape, shared by the three gauges (prom-client collects them one after the other).
    const refresh = () => {
      lines = [];
      omitted = 0;
      try {
        for (const line of readDeployments()) {
          if (lines.length < maximumDeploymentSeries && isKnownDeployment(line.deploymentId)) lines.push(line);
          else omitted += 1;
        }
      } catch (error) {
        report('deployments', error);
      }
    };
    new Gauge({
      name: 'switchyard_circuit_state',
      help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.',
      labelNames: ['deployment_id'],
      registers,
      collect() {
        refresh();
        this.reset();
        for (const line of lines) this.set({ deployment_id: line.deploymentId }, circuitValue[line.state]);
      },
    });
    new Gauge({
      name: 'switchyard_deployment_in_flight',
      help: 'Calls running on each deployment now.',
      labelNames: ['deployment_id'],
      registers,
      collect() {
        this.reset();
        for (const line of lines) this.set({ deployment_id: line.deploymentId }, line.inFlight);
      },
    });
    new Gauge({
      name: 'switchyard_deployments_unexported',
      help: `Deployments left out of the per-deployment gauges: client-chosen names the catalog does not know, or beyond ${maximumDeploymentSeries}.`,
      registers,
      collect() {
        this.set(omitted);
      },
    });
  }

  if (sources.writeQueues !== undefined) {
    const queues = Object.entries(sources.writeQueues);
    const labelNames = ['queue'] as const;
    let stats: Array<[string, WriteQueueStats]> = [];
    new Gauge({
      name: 'switchyard_write_queue_rows',
      help: 'Rows waiting in a batched writer (the usage ledger, ...) for their group commit.',
      labelNames,
      registers,
      collect() {
        stats = [];
        for (const [queue, read] of queues) {
          try {
            stats.push([queue, read()]);
          } catch (error) {
            report(`write queue ${queue}`, error);
          }
        }
        this.reset();
        for (const [queue, line] of stats) this.set({ queue }, line.buffered);
      },
    });
    const counter = (name: string, help: string, read: (line: WriteQueueStats) => number) =>
      new Counter({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [queue, line] of stats) this.inc({ queue }, read(line));
        },
      });
    counter('switchyard_write_queue_written_total', 'Rows a batched writer has committed.', (line) => line.written);
    counter('switchyard_write_queue_dropped_total', 'Rows a batched writer lost: its buffer was full while the store kept failing, or it was closed.', (line) => line.dropped);
    counter('switchyard_write_queue_failed_flushes_total', 'Group commits of a batched writer that failed (and were retried).', (line) => line.failedFlushes);
  }

  if (sources.budgets !== undefined) {
    const readBudgets = sources.budgets;
    const labelNames = ['budget_id', 'scope', 'period'] as const;
    // prom-client calls the collects one after the other, synchronously, in registration order: the first
    // gauge starts the read and the other two wait for that same read.
    let reading: Promise<BudgetStateLine[]> = Promise.resolve([]);
    const load = async (): Promise<BudgetStateLine[]> => {
      try {
        const lines = await readBudgets();
        return lines.length > maximumBudgetSeries ? [...lines].sort((a, b) => ratioOf(b) - ratioOf(a)).slice(0, maximumBudgetSeries) : lines;
      } catch (error) {
        report('budgets', error);
        return [];
      }
    };
    const budgetGauge = (name: string, help: string, valueOf: (line: BudgetStateLine) => number, starts: boolean) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          if (starts) reading = load();
          const lines = await reading;
          this.reset();
          for (const line of lines) this.set({ budget_id: line.budgetId, scope: line.scope, period: line.period }, valueOf(line));
        },
      });
    budgetGauge(
      'switchyard_budget_spent_ratio',
      `Spend of each budget in its current period divided by its limit (1 = exhausted). At most ${maximumBudgetSeries} budgets, the most used first.`,
      ratioOf,
      true,
    );
    budgetGauge('switchyard_budget_spent_micros', 'Spend of each budget in its current period, micro-dollars.', (line) => line.spentMicros, false);
    budgetGauge('switchyard_budget_reserved_micros', 'Cost reserved by requests in flight against each budget, micro-dollars.', (line) => line.reservedMicros, false);
    budgetGauge('switchyard_budget_limit_micros', 'Limit of each budget per period, micro-dollars.', (line) => line.limitMicros, false);
  }
}

function ratioOf(line: BudgetStateLine): number {
  return line.limitMicros > 0 ? line.spentMicros / line.limitMicros : 0;
}
