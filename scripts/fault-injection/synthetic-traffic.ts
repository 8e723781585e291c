import type { LedgerRow } from '../../src/observatory/ledger-row.js';
import { SeededRandom } from './seeded-random.js';
import type { SimulatedFleet } from './simulated-fleet.js';

/** How a key's traffic moves over the day: office hours, a nightly batch, or nearly flat. */
export type TrafficShape = 'office' | 'batch' | 'flat';

/** A simulated client key. */
export interface SimulatedKey {
  id: string;
  teamId: string;
  /** The model group it calls. */
  group: string;
  /** Requests per minute at its daily peak on a weekday. */
  peakPerMinute: number;
  shape: TrafficShape;
  /** Median tokens per request (log-normal around it). */
  tokensMedian: number;
  /** Price, micro-dollars per token. */
  microsPerToken: number;
}

/** What the injected faults change at a given time. Neutral values: factor 1, no extra errors. */
export interface FaultEffects {
  latencyFactor(deploymentId: string, atMs: number): number;
  /** Extra failure probability and its error code. */
  extraErrors(deploymentId: string, atMs: number): { probability: number; code: string } | undefined;
  rateFactor(keyId: string, atMs: number): number;
  tokenFactor(keyId: string, atMs: number): number;
}

export const noFaults: FaultEffects = {
  latencyFactor: () => 1,
  extraErrors: () => undefined,
  rateFactor: () => 1,
  tokenFactor: () => 1,
};

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const baseErrorCodes = [['upstream_error', 6], ['upstream_timeout', 3], ['upstream_rate_limited', 1]] as const;

function bump(hour: number, centre: number, width: number): number {
  // Distance on the 24-hour circle, so a bump near midnight wraps.
  const distance = Math.min(Math.abs(hour - centre), 24 - Math.abs(hour - centre));
  return Math.exp(-((distance / width) ** 2));
}

/** A key's traffic level (fraction of its peak) at a time, before noise. */
export function seasonalLevel(shape: TrafficShape, atMs: number): number {
  const date = new Date(atMs);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  switch (shape) {
    case 'office':
      return (weekend ? 0.4 : 1) * (0.12 + 0.88 * Math.max(bump(hour, 10.5, 2.5), 0.9 * bump(hour, 15, 3)));
    case 'batch':
      return 0.35 + 0.65 * bump(hour, 2, 1.5);
    case 'flat':
      return (weekend ? 0.8 : 1) * (0.6 + 0.4 * bump(hour, 14, 5));
  }
}

/**
 * Realistic-looking gateway traffic in simulated time: per-key Poisson arrivals following daily and weekly
 * seasonality, with day-to-day level changes and a slow random wobble on top (overdispersion), log-normal
 * latencies that rise a little with load, heavy-tailed token counts, a trickle of ordinary errors and, now and
 * then, a short error blip that is not an incident. Requests go through the fleet (routing, throttles).
 */
export class SyntheticTraffic {
  readonly #keys: ReadonlyArray<SimulatedKey>;
  readonly #fleet: SimulatedFleet;
  readonly #random: SeededRandom;
  readonly #seed: number;
  readonly #wobble = new Map<string, number>();
  readonly #blipUntil = new Map<string, number>();
  #nextId = 0;

  constructor(options: { keys: ReadonlyArray<SimulatedKey>; fleet: SimulatedFleet; seed: number }) {
    this.#keys = options.keys;
    this.#fleet = options.fleet;
    this.#seed = options.seed;
    this.#random = new SeededRandom(options.seed);
  }

  /** Rows of the requests starting in `[from, until)`, in no particular order. */
  generate(from: number, until: number, effects: FaultEffects): LedgerRow[] {
    const rows: LedgerRow[] = [];
    const random = this.#random;
    const minutes = (until - from) / 60_000;
    const officeLoad = seasonalLevel('office', from);
    for (const deployment of this.#fleet.deployments) {
      // A short blip of errors about twice a week per deployment: noise the detectors must not page on.
      if ((this.#blipUntil.get(deployment.id) ?? 0) < from && random.next() < (until - from) / (3.5 * dayMs)) this.#blipUntil.set(deployment.id, from + 15_000);
    }
    for (const key of this.#keys) {
      const wobble = this.#nextWobble(key.id);
      const mean = key.peakPerMinute * seasonalLevel(key.shape, from) * this.#dayLevel(key.id, from) * wobble * effects.rateFactor(key.id, from) * minutes;
      const count = random.poisson(mean);
      for (let index = 0; index < count; index += 1) {
        const timestamp = from + Math.floor(random.next() * (until - from));
        rows.push(this.#request(key, timestamp, officeLoad, effects));
      }
    }
    return rows;
  }

  #request(key: SimulatedKey, timestamp: number, load: number, effects: FaultEffects): LedgerRow {
    const random = this.#random;
    this.#nextId += 1;
    const base = { id: `req_${this.#nextId}`, timestamp, keyId: key.id, teamId: key.teamId, organisationId: 'org_sim', workspaceId: 'ws_sim', dialect: 'openai', operation: 'chat' as const, requestedModel: key.group, stream: true, attempts: [] };
    if (!this.#fleet.admit(key.id, timestamp)) {
      return { ...base, status: 'error', httpStatus: 429, errorCode: 'rate_limited', latencyMs: 1, usageSource: 'none' };
    }
    const deployment = this.#fleet.route(key.group, random);
    if (deployment === undefined) {
      return { ...base, status: 'error', httpStatus: 503, errorCode: 'upstream_unavailable', latencyMs: 2, usageSource: 'none' };
    }
    const served = { ...base, servedProvider: deployment.provider, servedModel: deployment.model, deploymentId: deployment.id };
    const extra = effects.extraErrors(deployment.id, timestamp);
    const blip = (this.#blipUntil.get(deployment.id) ?? 0) > timestamp ? 0.1 : 0;
    const failure = random.next();
    if (extra !== undefined && failure < extra.probability) {
      return { ...served, status: 'error', httpStatus: 503, errorCode: extra.code, latencyMs: Math.round(random.logNormal(300, 0.4)), usageSource: 'none' };
    }
    if (failure < deployment.errorRate + blip) {
      const code = random.pick(baseErrorCodes);
      return { ...served, status: 'error', httpStatus: code === 'upstream_timeout' ? 504 : 502, errorCode: code, latencyMs: Math.round(code === 'upstream_timeout' ? 5_000 : random.logNormal(400, 0.4)), usageSource: 'none' };
    }
    const latencyMs = Math.round(random.logNormal(deployment.latencyMs * (1 + 0.2 * load) * effects.latencyFactor(deployment.id, timestamp), 0.3));
    const tokens = Math.max(1, Math.round(random.logNormal(key.tokensMedian * effects.tokenFactor(key.id, timestamp), 0.5)));
    const outputTokens = Math.round(tokens * 0.25);
    return {
      ...served,
      status: 'ok',
      httpStatus: 200,
      latencyMs,
      timeToFirstTokenMs: Math.round(latencyMs * Math.min(0.9, random.logNormal(0.25, 0.2))),
      inputTokens: tokens - outputTokens,
      outputTokens,
      usageSource: 'provider',
      costMicros: Math.round(tokens * key.microsPerToken),
    };
  }

  /** A per-key, per-day level (a busier or quieter day than usual), the same however the day is walked. */
  #dayLevel(keyId: string, atMs: number): number {
    const day = Math.floor(atMs / dayMs);
    let hash = this.#seed ^ day;
    for (const character of keyId) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619);
    return new SeededRandom(hash).logNormal(1, 0.08);
  }

  /** A slow random walk (mean-reverting, in log space) on each key's rate. */
  #nextWobble(keyId: string): number {
    const previous = this.#wobble.get(keyId) ?? 0;
    const next = 0.995 * previous + 0.012 * this.#random.normal();
    this.#wobble.set(keyId, next);
    return Math.exp(next);
  }
}
