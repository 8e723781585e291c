import { noFaults, type FaultEffects } from './synthetic-traffic.js';

/** The faults the suite injects. */
export const faultNames = ['latency-regression', 'error-burst', 'runaway-key', 'slow-leak'] as const;
export type FaultName = (typeof faultNames)[number];

/** One injected fault: what it changes, on whom, and for how long. */
export interface FaultScenario {
  name: FaultName;
  description: string;
  /** The subject whose incident counts as detecting it (`deployment|dep-a`, `key|key-batch`). */
  subject: string;
  /** When it starts, as an offset from the start of its day (so it lands at a chosen hour), and how long it lasts. */
  startOffsetMs: number;
  durationMs: number;
  effects(start: number, end: number): FaultEffects;
  /** The service level the remediation should restore, in words, for the report. */
  serviceLevel: string;
}

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const within = (atMs: number, start: number, end: number) => atMs >= start && atMs < end;

/** The four faults of the issue, each at a different hour (peak and quiet traffic alike). */
export const faultScenarios: Readonly<Record<FaultName, FaultScenario>> = {
  'latency-regression': {
    name: 'latency-regression',
    description: 'deployment dep-a answers 3x slower (a bad upstream release)',
    subject: 'deployment|dep-a',
    startOffsetMs: 14 * hourMs + 10 * minuteMs + 17_000,
    durationMs: 40 * minuteMs,
    effects: (start, end) => ({ ...noFaults, latencyFactor: (deploymentId, atMs) => (deploymentId === 'dep-a' && within(atMs, start, end) ? 3 : 1) }),
    serviceLevel: 'mean latency of group "chat" within 25 % of its pre-fault mean',
  },
  'error-burst': {
    name: 'error-burst',
    description: 'deployment dep-b fails 40 % of requests with upstream_unavailable (an overloaded region), at night',
    subject: 'deployment|dep-b',
    startOffsetMs: 3 * hourMs + 20 * minuteMs + 8_000,
    durationMs: 25 * minuteMs,
    effects: (start, end) => ({ ...noFaults, extraErrors: (deploymentId, atMs) => (deploymentId === 'dep-b' && within(atMs, start, end) ? { probability: 0.4, code: 'upstream_unavailable' } : undefined) }),
    serviceLevel: 'error rate of group "chat" at most 2 %',
  },
  'runaway-key': {
    name: 'runaway-key',
    description: 'key key-batch sends 10x its usual requests (a client stuck in a retry loop)',
    subject: 'key|key-batch',
    startOffsetMs: 10 * hourMs + 5 * minuteMs + 41_000,
    durationMs: 40 * minuteMs,
    effects: (start, end) => ({ ...noFaults, rateFactor: (keyId, atMs) => (keyId === 'key-batch' && within(atMs, start, end) ? 10 : 1) }),
    serviceLevel: 'spend of key key-batch at most 2x its pre-fault rate',
  },
  'slow-leak': {
    name: 'slow-leak',
    description: 'deployment dep-b degrades gradually: latency +15 % at once, then +1.5 % a minute (a leak in the upstream)',
    subject: 'deployment|dep-b',
    startOffsetMs: 16 * hourMs + 40 * minuteMs + 29_000,
    durationMs: 45 * minuteMs,
    effects: (start, end) => ({ ...noFaults, latencyFactor: (deploymentId, atMs) => (deploymentId === 'dep-b' && within(atMs, start, end) ? 1.15 + (0.015 * (atMs - start)) / minuteMs : 1) }),
    serviceLevel: 'mean latency of group "chat" within 25 % of its pre-fault mean',
  },
};
