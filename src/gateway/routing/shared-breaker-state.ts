import { randomUUID } from 'node:crypto';
import type { Clock } from '../../spec/index.js';
import type { Deployment } from './deployment.js';
import type { Admission, Availability, CallLease, DeploymentHealth, DeploymentHealthView } from './deployment-health.js';
import type { InProcessDeploymentHealth } from './in-process-deployment-health.js';

/** The change-bus topic of breaker changes. */
export const breakerTopic = 'deployment-breaker';

/**
 * Where open breakers are recorded for replicas that start later (the scaled preset: `RedisBreakerStateStore`
 * in `src/db/`). Declared here, so routing depends on no storage package.
 */
export interface BreakerStateStore {
  /** Records that `deploymentId`'s breaker is open until `openUntil` (wall-clock ms); forgotten after `ttlMs`. */
  recordOpen(deploymentId: string, openUntil: number, ttlMs: number): Promise<void>;
  /** Forgets `deploymentId`'s breaker: it closed. */
  recordClosed(deploymentId: string): Promise<void>;
  /** The instants at which the recorded open breakers among `deploymentIds` half-open. */
  readOpen(deploymentIds: readonly string[]): Promise<Map<string, number>>;
}

/** A breaker message's fields: strings, as the change bus carries them. */
export interface BreakerChangePayload {
  id: string;
  [field: string]: string;
}

/**
 * The part of the change bus (`ChangeBus` in `src/db/change-bus.ts`, which satisfies this shape) the shared
 * breakers use. A listener also receives resyncs: any topic other than the one subscribed to.
 */
export interface BreakerChangeChannel {
  publish(topic: string, payload: BreakerChangePayload): Promise<void>;
  subscribe(topic: string, listener: (topic: string, payload: BreakerChangePayload) => void): () => void;
}

/** Options of {@link SharedBreakerState}. */
export interface SharedBreakerStateOptions {
  /** This replica's health; it stays the source of every answer. */
  local: InProcessDeploymentHealth;
  store: BreakerStateStore;
  bus: BreakerChangeChannel;
  /** The clock `local` uses. */
  clock: Clock;
  /** Tells this replica's own messages apart (default: a random id). */
  replicaId?: string;
  /** Called when a change could not be recorded or shared, or a message was not a breaker change. */
  onError?: (error: Error) => void;
}

type BreakerMessage = { id: string; state: 'open'; openUntil: number; replica: string } | { id: string; state: 'closed'; replica: string };

/** Messages come from other processes: checked before they touch a breaker. */
function parseBreakerMessage(payload: BreakerChangePayload): BreakerMessage | undefined {
  const { id, state, replica } = payload;
  if (typeof id !== 'string' || id.length === 0 || typeof replica !== 'string') return undefined;
  if (state === 'closed') return { id, state, replica };
  if (state !== 'open' || !/^\d{1,16}$/.test(payload.openUntil ?? '')) return undefined;
  return { id, state, openUntil: Number(payload.openUntil), replica };
}

/**
 * The scaled preset's circuit breakers, shared by every replica: a {@link DeploymentHealth} that answers from
 * this replica's {@link InProcessDeploymentHealth} (synchronously: it sits on the hot path) and shares each
 * breaker change in the background.
 *
 * When a breaker opens here, the instant it half-opens is recorded in the store (Redis: a hash per deployment
 * that expires with the cooldown) and published on the change bus; the other replicas open their breaker until
 * the same instant, so all of them half-open together. When a probe succeeds here, the record is deleted and
 * the close is published; the others close too. A replica that starts reads the open breakers from the store;
 * after a bus resync it reads them again.
 *
 * Bound: another replica applies a change within the bus's delivery time (p99 under 50 ms on loopback, see
 * `RedisChangeBus`); until then it may send a few more calls to a failing deployment, as each replica counts
 * failures on its own. Instants are wall-clock milliseconds of the replica that opened the breaker, so clock
 * skew between replicas shifts the half-open moment by the skew. A close missed while Redis was away heals by
 * itself: the breaker half-opens at its instant and the next successful probe closes it. Calls in flight and
 * latency averages stay per replica.
 */
export class SharedBreakerState implements DeploymentHealth {
  readonly #local: InProcessDeploymentHealth;
  readonly #store: BreakerStateStore;
  readonly #bus: BreakerChangeChannel;
  readonly #clock: Clock;
  readonly #replicaId: string;
  readonly #onError: (error: Error) => void;
  /** Deployments read again after a resync: those given to `start` and those seen since. */
  readonly #known = new Set<string>();
  /** Writes run one after the other, so an open and the close that follows are recorded in that order. */
  #writes: Promise<void> = Promise.resolve();
  #unsubscribe?: () => void;

  constructor(options: SharedBreakerStateOptions) {
    this.#local = options.local;
    this.#store = options.store;
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#replicaId = options.replicaId ?? randomUUID();
    this.#onError = options.onError ?? (() => undefined);
  }

  /**
   * Listens for other replicas' changes, then applies the open breakers recorded for `deploymentIds` (the
   * configured deployments). Subscribing first means no change falls between the read and the subscription.
   */
  async start(deploymentIds: Iterable<string>): Promise<void> {
    this.#unsubscribe ??= this.#bus.subscribe(breakerTopic, (topic, payload) => {
      if (topic === breakerTopic) this.#applyMessage(payload);
      else this.#resync();
    });
    for (const id of deploymentIds) this.#known.add(id);
    await this.#readOpenBreakers();
  }

  check(deployment: Deployment): Availability {
    return this.#local.check(deployment);
  }

  admit(deployment: Deployment): Admission {
    const admission = this.#local.admit(deployment);
    if (!admission.admitted) return admission;
    this.#known.add(deployment.id);
    const lease = admission.lease;
    const id = deployment.id;
    const shared: CallLease = {
      answered: () => this.#watch(id, () => lease.answered()),
      failed: (options) => this.#watch(id, () => lease.failed(options)),
      finished: (result) => this.#watch(id, () => lease.finished(result)),
    };
    return { admitted: true, lease: shared };
  }

  view(deploymentId: string): DeploymentHealthView {
    return this.#local.view(deploymentId);
  }

  /** Resolves once every change started so far is recorded and published, and every resync read (for shutdown and tests). */
  async flush(): Promise<void> {
    await this.#writes;
  }

  /** Stops listening and waits for pending writes; the store and the bus belong to the caller. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.flush();
  }

  /** Runs a lease method and shares the breaker transition it caused, if any. */
  #watch(deploymentId: string, end: () => void): void {
    const before = this.#local.view(deploymentId);
    end();
    const after = this.#local.view(deploymentId);
    if (after.state === 'open' && after.openUntil !== undefined && (before.state !== 'open' || before.openUntil !== after.openUntil)) {
      this.#share(deploymentId, after.openUntil);
    } else if (after.state === 'closed' && before.state !== 'closed') {
      this.#share(deploymentId, undefined);
    }
  }

  /** Records an open (until `openUntil`) or a close (undefined), then tells the other replicas. */
  #share(deploymentId: string, openUntil: number | undefined): void {
    const payload: BreakerChangePayload =
      openUntil === undefined
        ? { id: deploymentId, state: 'closed', replica: this.#replicaId }
        : { id: deploymentId, state: 'open', openUntil: String(openUntil), replica: this.#replicaId };
    this.#writes = this.#writes.then(async () => {
      try {
        // The record lives as long as the cooldown: once it is over, every replica half-opens by itself.
        if (openUntil === undefined) await this.#store.recordClosed(deploymentId);
        else await this.#store.recordOpen(deploymentId, openUntil, Math.max(1, openUntil - this.#clock.now()));
        await this.#bus.publish(breakerTopic, payload);
      } catch (error) {
        this.#onError(new Error(`Could not share the breaker state of deployment ${deploymentId}: ${messageOf(error)}`));
      }
    });
  }

  #applyMessage(payload: BreakerChangePayload): void {
    const message = parseBreakerMessage(payload);
    if (message === undefined) {
      this.#onError(new Error('Ignored a breaker message that is not a breaker change'));
      return;
    }
    // This replica's own changes are already applied.
    if (message.replica === this.#replicaId) return;
    this.#known.add(message.id);
    if (message.state === 'open') this.#local.applyRemoteState(message.id, 'open', message.openUntil);
    else this.#local.applyRemoteState(message.id, 'closed');
  }

  /** Messages may have been lost: read the open breakers again (closes missed meanwhile heal by themselves). */
  #resync(): void {
    // Queued behind pending writes, so `flush` covers it and it reads this replica's own latest record.
    this.#writes = this.#writes.then(() =>
      this.#readOpenBreakers().catch((error: unknown) => this.#onError(new Error(`Could not read the shared breaker state: ${messageOf(error)}`))),
    );
  }

  async #readOpenBreakers(): Promise<void> {
    if (this.#known.size === 0) return;
    const open = await this.#store.readOpen([...this.#known]);
    for (const [deploymentId, openUntil] of open) this.#local.applyRemoteState(deploymentId, 'open', openUntil);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
