import type { LedgerRow } from '../../src/observatory/ledger-row.js';
import type { AnomalySentinel } from '../../src/sentinel/anomaly/anomaly-sentinel.js';
import type { SeriesAggregator } from '../../src/sentinel/anomaly/series-aggregator.js';
import type { FaultEffects, SyntheticTraffic } from './synthetic-traffic.js';

/** Per-minute service figures of a group, or a key's spend, while recording. */
export interface MinuteFigures {
  requests: number;
  errors: number;
  okRequests: number;
  latencySum: number;
  costMicros: number;
}

const stepMs = 5_000;
/** How often the simulation lets the event loop run (simulated time). */
const hourMs = 3_600_000;

/**
 * Simulated time: advances in 5-second steps, generating each step's requests, handing every finished
 * request to the sentinel (or, before there is one, to a bare aggregator) in order of its end time, and
 * evaluating at every bucket boundary. Nothing here reads the wall clock.
 */
export class Simulation {
  now: number;
  readonly #traffic: SyntheticTraffic;
  readonly #bucketMs: number;
  #pending: LedgerRow[] = [];
  #recording: Map<string, Map<number, MinuteFigures>> | undefined;

  constructor(options: { start: number; traffic: SyntheticTraffic; bucketMs: number }) {
    this.now = options.start;
    this.#traffic = options.traffic;
    this.#bucketMs = options.bucketMs;
  }

  /** The time a finished request is seen at (what the sentinel's `now` reads). */
  currentTime = (): number => this.now;

  /** Runs until `until` with the given faults, feeding `sink`. */
  async advance(until: number, effects: FaultEffects, sink: { sentinel: AnomalySentinel } | { aggregator: SeriesAggregator; onBoundary: (atMs: number) => void }): Promise<void> {
    while (this.now < until) {
      const stepEnd = this.now + stepMs;
      this.#pending.push(...this.#traffic.generate(this.now, stepEnd, effects));
      this.#pending.sort((left, right) => left.timestamp + left.latencyMs - (right.timestamp + right.latencyMs));
      let index = 0;
      for (; index < this.#pending.length; index += 1) {
        const row = this.#pending[index];
        const end = row.timestamp + row.latencyMs;
        if (end >= stepEnd) break;
        this.now = end;
        if ('sentinel' in sink) sink.sentinel.observe(row);
        else sink.aggregator.add(row);
        this.#record(row);
      }
      this.#pending = this.#pending.slice(index);
      this.now = stepEnd;
      if (stepEnd % this.#bucketMs === 0) {
        if ('sentinel' in sink) await sink.sentinel.evaluate(stepEnd);
        else sink.onBoundary(stepEnd);
      }
      // Days of simulated traffic are minutes of CPU: give the event loop a turn every simulated hour, so a
      // host process (a test runner's worker answering its parent, a progress timer) is not starved meanwhile.
      if (stepEnd % hourMs === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Starts keeping per-minute figures of groups (`group|chat`) and keys (`key|key-batch`). */
  startRecording(): void {
    this.#recording = new Map();
  }

  /** The figures recorded so far, and stops recording. */
  stopRecording(): Map<string, Map<number, MinuteFigures>> {
    const recorded = this.#recording ?? new Map();
    this.#recording = undefined;
    return recorded;
  }

  #record(row: LedgerRow): void {
    if (this.#recording === undefined) return;
    const minute = row.timestamp - (row.timestamp % 60_000);
    for (const subject of [`group|${row.requestedModel}`, `key|${row.keyId}`]) {
      let minutes = this.#recording.get(subject);
      if (minutes === undefined) {
        minutes = new Map();
        this.#recording.set(subject, minutes);
      }
      let figures = minutes.get(minute);
      if (figures === undefined) {
        figures = { requests: 0, errors: 0, okRequests: 0, latencySum: 0, costMicros: 0 };
        minutes.set(minute, figures);
      }
      figures.requests += 1;
      if (row.status === 'error') figures.errors += 1;
      else {
        figures.okRequests += 1;
        figures.latencySum += row.latencyMs;
      }
      figures.costMicros += row.costMicros ?? 0;
    }
  }
}

/** Sums the figures of the minutes in `[from, until)`. */
export function figuresBetween(minutes: Map<number, MinuteFigures> | undefined, from: number, until: number): MinuteFigures & { minutes: number } {
  const total = { requests: 0, errors: 0, okRequests: 0, latencySum: 0, costMicros: 0, minutes: 0 };
  for (const [minute, figures] of minutes ?? []) {
    if (minute < from || minute >= until) continue;
    total.minutes += 1;
    total.requests += figures.requests;
    total.errors += figures.errors;
    total.okRequests += figures.okRequests;
    total.latencySum += figures.latencySum;
    total.costMicros += figures.costMicros;
  }
  return total;
}
